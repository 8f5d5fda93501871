// Upload, validate and save an .h5p package with H5P's own server code (@lumieducation/h5p-server),
// against a folder of installed content-type libraries; print what the host did as JSON.
//   node validate.cjs <host dir> <libraries dir> <package.h5p> <its content.json> (h5p.json beside)
// Output: {ok, error?, mainLibrary, dropped: [paths the host's semantics check removed],
//          changed: [paths whose value it changed], dependencies: [libraries the player loads],
//          invalid: [what H5P core's PHP validator would remove too (semantics.cjs)]}
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { createRequire } = require("module");
const semantics = require("./semantics.cjs");

const [hostDir, librariesDir, packagePath, contentPath] = process.argv.slice(2);
const H5P = createRequire(path.join(path.resolve(hostDir), "package.json"))(
  "@lumieducation/h5p-server");

/** Every leaf of a JSON value as path -> value ("a/b/0/c"). */
function leaves(value, prefix, out) {
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) { out[prefix] = Array.isArray(value) ? "[]" : "{}"; }
    keys.forEach((k) => leaves(value[k], prefix ? `${prefix}/${k}` : k, out));
  } else {
    out[prefix] = value;
  }
  return out;
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "rw-h5p-host-"));
  const libraries = path.join(work, "libraries");
  fs.cpSync(librariesDir, libraries, { recursive: true });
  for (const dir of ["content", "temporary"]) { fs.mkdirSync(path.join(work, dir)); }
  const config = new H5P.H5PConfig(undefined);
  config.coreApiVersion = { major: 1, minor: 28 };  // IV 1.28 / BS 1.10 need core API 1.28
  const editor = new H5P.H5PEditor(
    new H5P.cacheImplementations.CachedKeyValueStorage("kv"), config,
    new H5P.fsImplementations.FileLibraryStorage(libraries),
    new H5P.fsImplementations.FileContentStorage(path.join(work, "content")),
    new H5P.fsImplementations.DirectoryTemporaryFileStorage(path.join(work, "temporary")));
  const user = { id: "1", name: "Teacher", email: "t@example.com", type: "local" };
  const result = { ok: false, maxFileSize: config.maxFileSize };
  try {
    const original = JSON.parse(fs.readFileSync(contentPath, "utf8"));
    const h5pJson = JSON.parse(fs.readFileSync(path.join(path.dirname(contentPath),
                                                         "h5p.json"), "utf8"));
    const mainDep = h5pJson.preloadedDependencies.find((d) => d.machineName === h5pJson.mainLibrary);
    result.invalid = semantics.check(librariesDir, `${mainDep.machineName} ${mainDep.majorVersion}.${mainDep.minorVersion}`, original);
    const upload = await editor.uploadPackage(fs.readFileSync(packagePath), user);
    result.installedLibraries = upload.installedLibraries.map((l) => l.type);
    const main = upload.metadata.mainLibrary;
    const dep = upload.metadata.preloadedDependencies.find((d) => d.machineName === main);
    const ubername = `${main} ${dep.majorVersion}.${dep.minorVersion}`;
    const id = await editor.saveOrUpdateContent(undefined, upload.parameters, upload.metadata,
                                               ubername, user);
    const saved = await editor.contentManager.getContentParameters(id, user);
    const before = leaves(original, "", {});
    const after = leaves(saved, "", {});
    result.dropped = Object.keys(before).filter((k) => !(k in after));
    result.changed = Object.keys(before).filter(
      (k) => k in after && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => ({ path: k, before: before[k], after: after[k] }));
    result.added = Object.keys(after).filter((k) => !(k in before));
    result.mainLibrary = ubername;
    const player = new H5P.H5PPlayer(editor.libraryStorage, editor.contentStorage, config);
    player.setRenderer((model) => model);
    const model = await player.render(id, user, "en");
    result.dependencies = model.dependencies.map(
      (d) => `${d.machineName} ${d.majorVersion}.${d.minorVersion}`);
    result.scripts = model.scripts.length;
    result.ok = true;
  } catch (err) {
    result.error = `${err.errorId || err.name}: ${err.message}`
      + (err.replacements ? ` ${JSON.stringify(err.replacements)}` : "")
      + (err.errors ? ` ${JSON.stringify(err.errors.map((e) => [e.errorId, e.replacements]))}` : "");
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(result));
}

main();
