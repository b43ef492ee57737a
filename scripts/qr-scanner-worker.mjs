// Used by scripts/vendor-frontend.sh: qr-scanner builds its worker from a blob: URL; this writes
// the worker's source to a plain file the desk serves from 'self' (the CSP allows no blob: workers).
import { writeFileSync } from "node:fs";
const [, , source, target] = process.argv;
let body = null;
globalThis.Blob = class { constructor(parts) { body = parts.join(""); } };
globalThis.URL.createObjectURL = () => "blob:";
globalThis.Worker = class { constructor() {} };
const module = await import(source);
module.createWorker();
writeFileSync(target, body);
