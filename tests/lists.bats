#!/usr/bin/env bats
# Filtered and sorted lists (issue 14, sql/plan.c): whichever index a page
# is read from (the sort's index walked, the filter's index read and sorted,
# ids first then rows), every page holds what ORDER BY <key>, id says, ties
# on the key broken by id across page boundaries, at every access level.
# Rows a test adds are contacts 9100-9139, 2,000 fillers from 20001 on and
# 1,500 more from 22001 on (teardown removes them), so that the plans
# differ clearly; the expected
# order comes from the database, asked without any hint.
load helpers/common

setup() {
	# 30 "Planrare-NN" contacts, createdAt in groups of 3 equal values, owned
	# in turn by admin (1), sales (52, unit 4), teamlead (54, unit 2), manager.
	local rows=() i owner owners=(1 52 54 51)
	for i in $(seq 0 29); do
		owner=${owners[$((i % 4))]}
		rows+=("($((9100 + i)), 1, $owner, 'Plan', 'Planrare-$(printf %02d $(((i * 7) % 30)))',
			'2030-01-01 00:00:00' + INTERVAL $((i / 3)) MINUTE, '2030-01-01')")
	done
	db "INSERT INTO contacts (id, organization_id, owner_id, first_name, last_name, created_at,
	    updated_at) VALUES $(IFS=,; echo "${rows[*]}");
	    INSERT INTO contacts (id, organization_id, owner_id, first_name, last_name, created_at,
	    updated_at) SELECT 20000 + seq, 1, ELT(1 + seq % 4, 1, 52, 54, 51), 'Filler',
	    CONCAT('Filler-', seq), '2020-01-01' + INTERVAL seq MINUTE, '2020-01-01'
	    FROM seq_1_to_2000;
	    ANALYZE TABLE contacts" >/dev/null
}

teardown() {
	db "DELETE FROM contacts WHERE id BETWEEN 9100 AND 9139 OR id BETWEEN 20001 AND 23500;
	    ANALYZE TABLE contacts" >/dev/null
}

# logged AS PATH: the statements on contacts (on $LOGGED_TABLE when set)
# that MariaDB's general log shows for one GET.
logged() {
	local log
	log=$(mktemp "$BATS_TEST_TMPDIR/general.XXXXXX") # one per call: the log appends
	db "SET GLOBAL general_log_file = '$log'; SET GLOBAL log_output = 'FILE'; SET GLOBAL general_log = 1"
	act_as "$1" GET "$2"
	db "SET GLOBAL general_log = 0"
	expect_status 200 || return 1
	grep -a "FROM \`${LOGGED_TABLE:-contacts}\`" "$log"
}

# pages AS PATH SIZE [MAX]: the ids of every page of PATH (page[size]=SIZE)
# as user AS, following page numbers until a page has no next link (or MAX
# pages).
pages() {
	local user=$1 path=$2 size=$3 max=${4:-99} n=1 out=() next sep='?'
	[[ $path == *\?* ]] && sep='&'
	while :; do
		act_as "$user" GET "$path${sep}page[size]=$size&page[number]=$n" || return 1
		expect_status 200 || return 1
		out+=($(jqb '.data[].id'))
		next=$(jqb '.links.next // empty')
		[ -n "$next" ] && [ $n -lt "$max" ] || break
		n=$((n + 1))
	done
	echo "${out[*]}"
}

# db_order WHERE ORDER: the contact ids of organization 1 matching WHERE in
# ORDER, space-separated.
db_order() {
	db "SELECT id FROM contacts t WHERE t.organization_id = 1 AND ($1) ORDER BY $2" | tr '\n' ' ' |
		sed 's/ $//'
}

# same_pages AS PATH SIZE WHERE ORDER [MAX]: the pages (the first MAX)
# agree with the database, which finds more than one page.
same_pages() {
	local a d limit=
	a=$(pages "$1" "$2" "$3" "${6:-99}") || return 1
	[ -n "${6:-}" ] && limit=" LIMIT $(($3 * $6))"
	d=$(db_order "$4" "$5$limit")
	[ "$(wc -w <<< "$d")" -gt "$3" ] || { echo "$2: one page or less in the database: [$d]" >&2; return 1; }
	[ "$a" = "$d" ] || { printf '%s as %s\n API: [%s]\n DB:  [%s]\n' "$2" "$1" "$a" "$d" >&2; return 1; }
}

# Owners visible to teamlead at business_unit level: members of its units.
TEAM="t.owner_id IN (SELECT user_id FROM user_business_units WHERE business_unit_id IN
	(SELECT business_unit_id FROM user_business_units WHERE user_id = 54))"

@test "every list index a descriptor declares exists with exactly its columns" {
	local line name cols got n=0
	# "name:col,col,..." per declaration of src/resources/res_*.c
	while read -r line; do
		name=${line%%:*}
		cols=${line#*:}
		got=$(db "SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) FROM information_schema.statistics
			WHERE table_schema = 'mariapi' AND index_name = '$name'")
		[ "$got" = "$cols" ] || { echo "$name: declared ($cols), in the database ($got)" >&2; return 1; }
		n=$((n + 1))
	done < <(cat "$BATS_TEST_DIRNAME"/../src/resources/res_*.c | tr -d '\n\t' |
		grep -o '{ "ix_[a-z_]*", *{ [^}]*}' | sed -E 's/^\{ "([a-z_]+)", *\{ (.*) \}$/\1:\2/; s/[" ]//g')
	[ "$n" -ge 14 ]
}

@test "starts_with + sort=-createdAt: pages of 4 in order, equal createdAt broken by id across pages" {
	same_pages admin '/api/contacts?filter[lastName][starts_with]=Planrare-&sort=-createdAt' 4 \
		"t.last_name LIKE 'Planrare-%'" 't.created_at DESC, t.id DESC'
	same_pages admin '/api/contacts?filter[lastName][starts_with]=Planrare-&sort=createdAt' 4 \
		"t.last_name LIKE 'Planrare-%'" 't.created_at ASC, t.id ASC'
	# a rarer prefix: Planrare-0N
	same_pages admin '/api/contacts?filter[lastName][starts_with]=Planrare-0&sort=-createdAt' 3 \
		"t.last_name LIKE 'Planrare-0%'" 't.created_at DESC, t.id DESC'
}

@test "eq, IN and ranges with a sort on another indexed column; a range on the sort key itself" {
	same_pages admin '/api/contacts?filter[firstName]=Plan&sort=-createdAt' 4 \
		"t.first_name = 'Plan'" 't.created_at DESC, t.id DESC'
	same_pages admin '/api/contacts?filter[id]=9101,9105,9109,9113,9117,9121,9125&sort=-lastName' 3 \
		't.id IN (9101, 9105, 9109, 9113, 9117, 9121, 9125)' 't.last_name DESC, t.id DESC'
	same_pages admin '/api/contacts?filter[createdAt][gte]=2030-01-01T00:03:00Z&sort=lastName' 5 \
		"t.created_at >= '2030-01-01 00:03:00'" 't.last_name ASC, t.id ASC'
	same_pages admin '/api/contacts?filter[createdAt][gt]=2030-01-01T00:02:00Z&sort=-createdAt' 4 \
		"t.created_at > '2030-01-01 00:02:00'" 't.created_at DESC, t.id DESC'
	# every contact of the organization (the sort's index is worth walking)
	same_pages admin '/api/contacts?filter[createdAt][gt]=2000&sort=-lastName' 25 \
		"t.created_at > '2000-12-31 23:59:59'" 't.last_name DESC, t.id DESC' 3
	# no sort: the id
	same_pages admin '/api/contacts?filter[lastName][starts_with]=Planrare-1' 4 \
		"t.last_name LIKE 'Planrare-1%'" 't.id ASC'
}

@test "a page over 500 rows (streamed) and include keep the order of the plan" {
	same_pages admin '/api/contacts?filter[lastName][starts_with]=Planrare-&sort=-createdAt&include=owner' 7 \
		"t.last_name LIKE 'Planrare-%'" 't.created_at DESC, t.id DESC'
	act_as admin GET '/api/contacts?filter[lastName][starts_with]=Planrare-&sort=-createdAt&page[size]=501'
	expect_status 200
	[ "$(jqb '[.data[].id] | join(" ")')" = "$(db_order "t.last_name LIKE 'Planrare-%'" 't.created_at DESC, t.id DESC')" ]
}

@test "user and business_unit levels: the same shapes list only the visible records, paged in order" {
	same_pages sales '/api/contacts?filter[lastName][starts_with]=Planrare-&sort=-createdAt' 2 \
		"t.last_name LIKE 'Planrare-%' AND t.owner_id = 52" 't.created_at DESC, t.id DESC'
	same_pages teamlead '/api/contacts?filter[lastName][starts_with]=Planrare-&sort=-createdAt' 3 \
		"t.last_name LIKE 'Planrare-%' AND $TEAM" 't.created_at DESC, t.id DESC'
	same_pages teamlead '/api/contacts?filter[createdAt][gt]=2000&sort=-lastName' 4 \
		"t.created_at > '2000-12-31 23:59:59' AND $TEAM" 't.last_name DESC, t.id DESC' 3
	same_pages sales '/api/contacts?filter[id]=9101,9105,9109,9113,9117,9121,9125&sort=createdAt' 1 \
		't.id IN (9101, 9105, 9109, 9113, 9117, 9121, 9125) AND t.owner_id = 52' 't.created_at ASC, t.id ASC'
}

@test "the plans: a rare filter reads its covering index (ids first), a filter matching all walks the sort's index, so does a range on the sort key; contains walks it within a bound" {
	run logged admin '/api/contacts?filter[lastName][starts_with]=Planrare-&sort=-createdAt'
	[ "$status" -eq 0 ]
	grep -q 'JOIN (SELECT `t`.`id`, `t`.`created_at` AS k0 FROM `contacts` t FORCE INDEX (`ix_contacts_org_last_name_created`)' <<< "$output"
	run logged sales '/api/contacts?filter[lastName][starts_with]=Planrare-&sort=-createdAt'
	[ "$status" -eq 0 ]
	grep -q 'FORCE INDEX (`ix_contacts_org_last_name_created`)' <<< "$output"
	run logged admin '/api/contacts?filter[lastName][starts_with]=F&sort=-createdAt'
	[ "$status" -eq 0 ]
	grep -q 'FROM `contacts` t FORCE INDEX (`ix_contacts_org_created`) WHERE' <<< "$output"
	# walked backward, the page's ids come from the walk's entries alone
	# (they hold lastName): MariaDB tests a condition on index entries only
	# on forward walks; forward, the rows are read as the walk goes
	grep -q 'JOIN (SELECT `t`.`id`, `t`.`created_at` AS k0 FROM `contacts` t FORCE INDEX (`ix_contacts_org_created`) WHERE .* ROWS EXAMINED [0-9?]*) k ON' <<< "$output"
	run logged admin '/api/contacts?filter[lastName][starts_with]=F&sort=createdAt'
	[ "$status" -eq 0 ]
	grep -q 'FROM `contacts` t FORCE INDEX (`ix_contacts_org_created`) WHERE .* ROWS EXAMINED [0-9?]*$' <<< "$output"
	run grep -c 'JOIN (SELECT' <<< "$output"
	[ "$output" = 0 ]
	run logged admin '/api/contacts?filter[createdAt][gt]=2030&sort=-createdAt'
	[ "$status" -eq 0 ]
	grep -q 'FROM `contacts` t FORCE INDEX (`ix_contacts_org_created`) WHERE' <<< "$output"
	run logged admin '/api/contacts?filter[id]=9101,9105,9109&sort=lastName'
	[ "$status" -eq 0 ]
	grep -q 'FORCE INDEX (`ix_contacts_org`)' <<< "$output"
	# contains: no range serves it; the sort's index walked within a bound
	# (the newest contacts match: the page is found, nothing else read)
	run logged admin '/api/contacts?filter[lastName][contains]=rare&sort=-createdAt'
	[ "$status" -eq 0 ]
	grep -q 'JOIN (SELECT `t`.`id`, `t`.`created_at` AS k0 FROM `contacts` t FORCE INDEX (`ix_contacts_org_created`) WHERE .* ROWS EXAMINED 1000) k ON' <<< "$output"
	[ "$(wc -l <<< "$output")" = 1 ]
	# on a column no index leads (a call's subject): no plan
	LOGGED_TABLE=calls run logged admin '/api/calls?filter[subject][contains]=rare&sort=-createdAt'
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	run grep -c 'FROM `calls` t FORCE INDEX' <<< "$output"
	[ "$output" = 0 ]
}

@test "contains, ends_with and negated patterns: past the walk's bound the filter's index is scanned for the page's ids; the pages agree with the database" {
	# the matches (Planrare-0N, created in 2030) lie past 2,000 fillers
	# along createdAt ascending: the walk is cut off, then the scan
	run logged admin '/api/contacts?filter[lastName][contains]=rare-0&sort=createdAt&page[size]=4'
	[ "$status" -eq 0 ]
	grep -q 'FORCE INDEX (`ix_contacts_org_created`) WHERE .* ROWS EXAMINED' <<< "$output"
	grep -q 'JOIN (SELECT `t`.`id`, `t`.`created_at` AS k0 FROM `contacts` t FORCE INDEX (`ix_contacts_org_last_name_created`) WHERE .* LIKE .* ORDER BY `t`.`created_at` ASC' <<< "$output"
	act_as admin GET '/api/contacts?filter[lastName][contains]=rare-0&sort=createdAt&page[size]=4'
	[ "$(jqb '[.data[].id] | join(" ")')" = "$(db_order "t.last_name LIKE '%rare-0%'" 't.created_at ASC, t.id ASC LIMIT 4')" ]
	same_pages admin '/api/contacts?filter[lastName][contains]=rare-0&sort=createdAt' 4 \
		"t.last_name LIKE '%rare-0%'" 't.created_at ASC, t.id ASC'
	same_pages sales '/api/contacts?filter[lastName][contains]=rare-0&sort=createdAt' 1 \
		"t.last_name LIKE '%rare-0%' AND t.owner_id = 52" 't.created_at ASC, t.id ASC'
	# sorted by id: the (organization, lastName) index, without a sort key
	run logged admin '/api/contacts?filter[lastName][contains]=ller-19&sort=-id&page[size]=4'
	[ "$status" -eq 0 ]
	same_pages admin '/api/contacts?filter[lastName][contains]=ller-19&sort=-id' 4 \
		"t.last_name LIKE '%ller-19%'" 't.id DESC' 3
	same_pages admin '/api/contacts?filter[lastName][ends_with]=7&sort=-createdAt' 4 \
		"t.last_name LIKE '%7'" 't.created_at DESC, t.id DESC' 3
	same_pages teamlead '/api/contacts?filter[lastName][not_contains]=iller&sort=createdAt' 4 \
		"t.last_name NOT LIKE '%iller%' AND $TEAM" 't.created_at ASC, t.id ASC' 3
	# a pattern most rows match: the walk fills the page, no scan
	run logged admin '/api/contacts?filter[lastName][contains]=iller&sort=createdAt&page[size]=4'
	[ "$status" -eq 0 ]
	[ "$(wc -l <<< "$output")" = 1 ]
	grep -q 'FORCE INDEX (`ix_contacts_org_created`) WHERE .* ROWS EXAMINED' <<< "$output"
}

@test "an unfiltered page names the (organization, sort key) index when the level restricts nothing; a user-level reader's page is MariaDB's choice; the pages agree with the database" {
	run logged admin '/api/contacts?page[size]=3'
	[ "$status" -eq 0 ]
	# (the log shows bound values, or "?" for a statement prepared before it was on)
	grep -Eq 'FROM `contacts` t FORCE INDEX \(`ix_contacts_org`\) WHERE 1 = 1 AND `t`.`organization_id` = (1|\?) ORDER BY `t`.`id` ASC' <<< "$output"
	run logged admin '/api/contacts?page[size]=3&sort=-createdAt'
	[ "$status" -eq 0 ]
	grep -Eq 'FROM `contacts` t FORCE INDEX \(`ix_contacts_org_created`\) WHERE 1 = 1 AND `t`.`organization_id` = (1|\?) ORDER BY `t`.`created_at` DESC' <<< "$output"
	# sales reads contacts at user level: the owner condition may want another index
	run logged sales '/api/contacts?page[size]=3'
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	run grep -c 'FROM `contacts` t FORCE INDEX' <<< "$output"
	[ "$output" = 0 ]
	same_pages admin '/api/contacts' 40 't.organization_id = 1' 't.id ASC' 3
	same_pages admin '/api/contacts?sort=-createdAt' 40 't.organization_id = 1' 't.created_at DESC, t.id DESC' 3
}

@test "a walk chosen on estimates gives way to the filter's index when the matches lie far along it" {
	# 1,500 newest contacts that match nothing: the walk of createdAt
	# reaches Filler-1... only past its budget
	db "INSERT INTO contacts (id, organization_id, owner_id, first_name, last_name, created_at,
	    updated_at) SELECT 22000 + seq, 1, 1, 'Skew', CONCAT('Skew-', seq),
	    '2031-01-01' + INTERVAL seq MINUTE, '2031-01-01' FROM seq_1_to_1500; ANALYZE TABLE contacts" >/dev/null
	# the first request: the walk (ids from its entries, backward), cut
	# off in its sort (MariaDB's "Sort aborted", not an error), then the range
	run logged admin '/api/contacts?filter[lastName][starts_with]=Filler-1&sort=-createdAt&page[size]=4'
	[ "$status" -eq 0 ]
	grep -q 'JOIN (SELECT `t`.`id`, `t`.`created_at` AS k0 FROM `contacts` t FORCE INDEX (`ix_contacts_org_created`) WHERE .* ROWS EXAMINED' <<< "$output"
	grep -q 'JOIN (SELECT `t`.`id`, `t`.`created_at` AS k0 FROM `contacts` t FORCE INDEX (`ix_contacts_org_last_name_created`)' <<< "$output"
	same_pages admin '/api/contacts?filter[lastName][starts_with]=Filler-1&sort=-createdAt' 4 \
		"t.last_name LIKE 'Filler-1%'" 't.created_at DESC, t.id DESC' 3
}
