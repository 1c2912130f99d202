// docs/openapi.yaml: valid OpenAPI 3.1 (swagger-parser validates against the 3.1 schema and
// resolves every $ref), and its paths are exactly the server's routes (from `reports-server
// --list-routes`, i.e. the route table in the code) plus the served document itself. Every
// operation has an example answer and its error answers.
//   node openapi.test.mjs REPORTS_SERVER docs/openapi.yaml
import { execFileSync } from 'node:child_process';
import SwaggerParser from '@apidevtools/swagger-parser';

const [server, file] = process.argv.slice(2);
let passed = 0; let failed = 0;
const check = (ok, what) => { if (ok) passed += 1; else { failed += 1; console.error(`FAIL: ${what}`); } };

let doc = null;
try {
  doc = await SwaggerParser.validate(file);
  check(true, 'valid');
} catch (e) {
  check(false, `${file} is not valid: ${e.message}`);
}
if (doc) {
  check(doc.openapi.startsWith('3.1.'), `OpenAPI 3.1 (${doc.openapi})`);
  const routes = execFileSync(server, ['--list-routes'], { encoding: 'utf8' }).trim().split('\n')
    .map((r) => r.replace(/:([a-z_]+)/g, '{$1}'));
  check(routes.length >= 29, `the server lists its routes (${routes.length})`);
  const documented = Object.keys(doc.paths);
  for (const r of routes) check(documented.includes(r), `route ${r} is in ${file}`);
  const extra = documented.filter((p) => !routes.includes(p) && p !== '/openapi.yaml');
  check(extra.length === 0, `no documented path that the server does not serve: ${extra.join(', ')}`);
  for (const [p, item] of Object.entries(doc.paths)) {
    const ops = Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch', 'head'].includes(k));
    check(ops.length === 1 && ops[0] === 'get', `${p}: GET only (${ops})`);
    const op = item.get;
    const ok = Object.entries(op.responses).find(([s]) => s === '200');
    const hasExample = ok && Object.values(ok[1].content || {}).some((c) => c.example !== undefined || c.examples);
    check(hasExample, `${p}: a 200 answer with an example`);
    if (p.startsWith('/api/')) {
      check(op.responses['401'] && op.responses['404'], `${p}: documents 401 and 404`);
      check(Object.keys(op.responses).some((s) => s === '400' || s === '422'), `${p}: documents a bad-input answer`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
