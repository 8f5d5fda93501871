// What H5P core's content validator (H5PContentValidator, used by the PHP hosts: Moodle,
// WordPress, Drupal) would remove from content parameters, walked against the installed
// libraries' own semantics.json: keys a group does not define, select values not among the
// options, numbers outside min/max, lists beyond max, libraries a field does not allow.
// h5p-server's SemanticsEnforcer only enforces library and text fields, so both are checked.
"use strict";
const fs = require("fs");
const path = require("path");

function semanticsOf(librariesDir, ubername) {
  const [name, version] = ubername.split(" ");
  const file = path.join(librariesDir, `${name}-${version}`, "semantics.json");
  if (!fs.existsSync(file)) { return null; }
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Paths (a/b/0/c) of everything in ``params`` that ``fields`` do not allow, with why. */
function check(librariesDir, ubername, params) {
  const problems = [];
  const fields = semanticsOf(librariesDir, ubername);
  if (fields === null) { return [`${ubername}: library not installed`]; }
  walkGroup(librariesDir, fields, params, "", problems);
  return problems;
}

function walkGroup(dir, fields, value, at, problems) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(`${at || "/"}: not a group`);
    return;
  }
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
  for (const key of Object.keys(value)) {
    const where = at ? `${at}/${key}` : key;
    if (!(key in byName)) { problems.push(`${where}: not in semantics`); continue; }
    walk(dir, byName[key], value[key], where, problems);
  }
}

function walk(dir, field, value, at, problems) {
  switch (field.type) {
    case "group":
      walkGroup(dir, field.fields, value, at, problems);
      break;
    case "list":
      if (!Array.isArray(value)) { problems.push(`${at}: not a list`); break; }
      if (field.max !== undefined && value.length > field.max) { problems.push(`${at}: over max`); }
      value.forEach((item, i) => walk(dir, field.field, item, `${at}/${i}`, problems));
      break;
    case "text":
      if (typeof value !== "string") { problems.push(`${at}: not text`); }
      else if (field.maxLength && value.length > field.maxLength) { problems.push(`${at}: too long`); }
      break;
    case "number":
      if (typeof value !== "number") { problems.push(`${at}: not a number`); break; }
      if (field.min !== undefined && value < field.min) { problems.push(`${at}: under min`); }
      if (field.max !== undefined && value > field.max) { problems.push(`${at}: over max`); }
      break;
    case "boolean":
      if (typeof value !== "boolean") { problems.push(`${at}: not a boolean`); }
      break;
    case "select":
      if (!(field.options || []).some((o) => o.value === value)) {
        problems.push(`${at}: ${JSON.stringify(value)} not an option`);
      }
      break;
    case "library": {
      if (!(field.options || []).includes(value.library)) {
        problems.push(`${at}/library: ${value.library} not an option`);
        break;
      }
      for (const key of Object.keys(value)) {
        if (!["library", "params", "subContentId", "metadata"].includes(key)) {
          problems.push(`${at}/${key}: not in semantics`);
        }
      }
      check(dir, value.library, value.params || {}).forEach((p) => problems.push(`${at}/params/${p}`));
      break;
    }
    case "video": case "audio": case "file": case "image":
      (Array.isArray(value) ? value : [value]).forEach((file, i) => {
        const where = Array.isArray(value) ? `${at}/${i}` : at;
        for (const key of Object.keys(file)) {
          if (!["path", "mime", "copyright", "width", "height", "codecs", "quality", "metadata"].includes(key)) {
            problems.push(`${where}/${key}: not a file attribute`);
          }
        }
      });
      break;
    default:
      break;
  }
}

module.exports = { check };
