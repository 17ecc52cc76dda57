// Drives a schema registry at the URL given with Confluent's own JavaScript client
// (@confluentinc/schemaregistry), as a tool next to Kafka would: register, evolve with a compatible
// second version, refuse an incompatible one, then (with the "delete" step) soft-delete the subject,
// list it among the deleted, and delete it for good.
//
//   node interop.mjs URL SUBJECT STEPS     STEPS: comma-separated, of register,evolve,delete
//
// Prints one "ok <step>: ..." line per step passed; on the first failure prints
// "FAIL <step>: ..." and exits 1. Written for Outpost's ConfluentJsClientIT.
import assert from 'node:assert/strict';
import { SchemaRegistryClient } from '@confluentinc/schemaregistry';

const [url, subject, stepList] = process.argv.slice(2);
if (!url || !subject || !stepList) {
  console.error('usage: node interop.mjs URL SUBJECT register,evolve[,delete]');
  process.exit(2);
}
const steps = stepList.split(',');

const client = new SchemaRegistryClient({ baseURLs: [url], maxRetries: 2, cacheLatestTtlSecs: 0 });
// The client has no call for listings with ?deleted=true; its own REST transport does them, with
// the same headers and error handling as every other call.
const rest = client.restService;

const v1 = {
  type: 'record',
  name: 'Alert',
  namespace: 'interop',
  fields: [{ name: 'id', type: 'string' }],
};
const v2 = { ...v1, fields: [...v1.fields, { name: 'source', type: 'string', default: '' }] };
const incompatible = { ...v1, fields: [...v1.fields, { name: 'score', type: 'int' }] };
const avro = (schema) => ({ schemaType: 'AVRO', schema: JSON.stringify(schema) });
const ids = {};

async function register() {
  ids.v1 = await client.register(subject, avro(v1), false);
  assert.ok(Number.isInteger(ids.v1) && ids.v1 > 0, `an id for version 1, got ${ids.v1}`);
  const info = await client.getBySubjectAndId(subject, ids.v1);
  assert.deepEqual(JSON.parse(info.schema), v1, 'the schema read back by id');
  const latest = await client.getLatestSchemaMetadata(subject);
  assert.equal(latest.version, 1);
  assert.equal(latest.id, ids.v1);
  assert.ok((await client.getAllSubjects()).includes(subject), 'the subject listed');
  assert.equal(await client.register(subject, avro(v1), false), ids.v1, 'registering again answers the same id');
  return `id ${ids.v1}, version 1`;
}

async function evolve() {
  assert.equal(await client.testSubjectCompatibility(subject, avro(v2)), true, 'v2 adds a field with a default');
  ids.v2 = await client.register(subject, avro(v2), false);
  assert.notEqual(ids.v2, ids.v1);
  assert.deepEqual(await client.getAllVersions(subject), [1, 2]);
  assert.equal((await client.getSchemaMetadata(subject, 2)).id, ids.v2);
  assert.equal(await client.testSubjectCompatibility(subject, avro(incompatible)), false, 'a new field without default');
  await assert.rejects(client.register(subject, avro(incompatible), false), (e) => {
    assert.equal(e.status, 409);
    assert.ok([409, 40901].includes(e.errorCode), `error code 409 or 40901, got ${e.errorCode}`);
    return true;
  });
  return `id ${ids.v2}, version 2; an incompatible schema refused with 409`;
}

async function del() {
  assert.deepEqual(await client.deleteSubject(subject, false), [1, 2], 'a soft delete answers the versions');
  assert.ok(!(await client.getAllSubjects()).includes(subject), 'a soft-deleted subject is not listed');
  const withDeleted = (await rest.handleRequest('/subjects?deleted=true', 'GET')).data;
  assert.ok(withDeleted.includes(subject), `listed with deleted=true: ${JSON.stringify(withDeleted)}`);
  const versions = (await rest.handleRequest(`/subjects/${encodeURIComponent(subject)}/versions?deleted=true`, 'GET')).data;
  assert.deepEqual(versions, [1, 2]);
  assert.equal((await client.getSchemaMetadata(subject, 1, true)).id, ids.v1, 'a deleted version read with deleted=true');
  const byId = (await rest.handleRequest(`/schemas/ids/${ids.v1}`, 'GET')).data;
  assert.deepEqual(JSON.parse(byId.schema), v1, 'the id of a soft-deleted subject stays readable');
  // Through the REST transport: the client keeps the latest version it saw in a cache of its own.
  await assert.rejects(
    rest.handleRequest(`/subjects/${encodeURIComponent(subject)}/versions/latest`, 'GET'),
    (e) => e.errorCode === 40401,
    'the latest version of a soft-deleted subject is not found',
  );

  assert.deepEqual(await client.deleteSubject(subject, true), [1, 2], 'a permanent delete answers the versions');
  const after = (await rest.handleRequest('/subjects?deleted=true', 'GET')).data;
  assert.ok(!after.includes(subject), 'gone even with deleted=true');
  await assert.rejects(client.deleteSubject(subject, true), (e) => e.errorCode === 40401, 'a subject deleted for good is not found');
  return 'soft-deleted, listed with deleted=true, deleted for good';
}

const run = { register, evolve, delete: del };
for (const step of steps) {
  if (!run[step]) {
    console.error(`FAIL ${step}: no such step; use register, evolve, delete`);
    process.exit(2);
  }
  try {
    console.log(`ok ${step}: ${await run[step]()}`);
  } catch (e) {
    console.log(`FAIL ${step}: ${e.message}${e.errorCode ? ` (error code ${e.errorCode})` : ''}`);
    process.exit(1);
  }
}
await client.close();
