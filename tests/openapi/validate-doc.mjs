// validate-doc.mjs FILE: checks an OpenAPI document against the OpenAPI
// 3.1 schema (offline: the schemas ship with the package), then that every
// $ref resolves. Prints the errors and exits 1 when it does not validate.
import { Validator } from "@seriousme/openapi-schema-validator";
import { readFileSync } from "node:fs";

const file = process.argv[2];
const doc = JSON.parse(readFileSync(file, "utf8"));
const validator = new Validator();
const res = await validator.validate(doc);
if (!res.valid) {
	console.error(JSON.stringify(res.errors, null, 1).slice(0, 4000));
	process.exit(1);
}
if (validator.version !== "3.1") {
	console.error(`version ${validator.version}, expected 3.1`);
	process.exit(1);
}
// Every local reference names something that exists.
const missing = [];
const walk = (v) => {
	if (Array.isArray(v)) return v.forEach(walk);
	if (v && typeof v === "object") {
		if (typeof v.$ref === "string") {
			let cur = doc;
			for (const part of v.$ref.replace(/^#\//, "").split("/"))
				cur = cur?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
			if (cur === undefined) missing.push(v.$ref);
		}
		Object.values(v).forEach(walk);
	}
};
walk(doc);
if (missing.length) {
	console.error("unresolved $ref:", [...new Set(missing)].join(" "));
	process.exit(1);
}
console.log(`valid OpenAPI ${validator.version}`);
