// check-responses.mjs DOC CASES: every case (one line of CASES: method,
// path, status, Content-Type and the file of the body, next to CASES,
// tab-separated) is
// checked against the response the document declares for that path,
// method and status: declared at all, without content when the body is
// empty (204, 304, 401, 405, HEAD), else the schema of its media type
// (JSON Schema 2020-12 with formats). Prints one line per failure; exit 1.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const doc = JSON.parse(readFileSync(process.argv[2], "utf8"));
const dir = dirname(process.argv[3]);
const cases = readFileSync(process.argv[3], "utf8").split("\n").filter(Boolean).map((l) => {
	const [method, path, status, type, file] = l.split("\t");
	return { method, path, status, type, body: readFileSync(join(dir, file), "utf8") };
});
const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);
ajv.addSchema(doc, "openapi.json");

const esc = (s) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const at = (ptr) => ptr.split("/").slice(1).reduce((o, p) => o?.[p.replace(/~1/g, "/").replace(/~0/g, "~")], doc);

function findPath(path) {
	const templates = Object.keys(doc.paths);
	if (templates.includes(path)) return path;
	return templates.find((t) => new RegExp("^" + t.replace(/\{[^}]+\}/g, "[^/]+") + "$").test(path));
}

let failed = 0;
const fail = (c, msg) => {
	failed++;
	console.log(`FAIL ${c.method} ${c.path} ${c.status} ${c.type || ""}: ${msg}`);
};
for (const c of cases) {
	const template = findPath(c.path.split("?")[0]);
	if (!template) { fail(c, "path not documented"); continue; }
	const opPtr = `#/paths/${esc(template)}/${c.method.toLowerCase()}`;
	// A method a path does not offer: the shared 405 answer.
	const undocumented = !at(opPtr) && c.status === "405";
	if (!at(opPtr) && !undocumented) { fail(c, "method not documented"); continue; }
	let ptr = undocumented ? "#/components/responses/methodNotAllowed" : `${opPtr}/responses/${c.status}`;
	let resp = at(ptr);
	if (!resp) { fail(c, "status not documented"); continue; }
	if (resp.$ref) { ptr = resp.$ref; resp = at(ptr); }
	const media = (c.type || "").split(";")[0].trim();
	if (c.body === "") {
		if (resp.content && c.method !== "HEAD") fail(c, "empty body, but content is declared");
		continue;
	}
	if (!resp.content) { fail(c, "body sent, but no content is declared"); continue; }
	if (!resp.content[media]) { fail(c, `media type ${media} not declared`); continue; }
	const validate = ajv.getSchema(`openapi.json${ptr}/content/${esc(media)}/schema`) ||
		ajv.compile({ $ref: `openapi.json${ptr}/content/${esc(media)}/schema` });
	let body;
	try { body = JSON.parse(c.body); } catch (e) { fail(c, "body is not JSON"); continue; }
	if (!validate(body)) fail(c, JSON.stringify(validate.errors).slice(0, 600));
}
console.log(`${cases.length - failed} of ${cases.length} responses match the document`);
process.exit(failed ? 1 : 0);
