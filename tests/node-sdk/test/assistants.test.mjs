// Assistants through the Node SDK: create, retrieve, and list with auto-pagination.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { NotFoundError } from 'openai';
import { recordingClient, createAssistant } from './client.mjs';

test('an assistant created through the SDK is retrieved with the same fields', async () => {
  const { client } = recordingClient();
  const created = await createAssistant(client, {
    name: 'Weather bot', instructions: 'Be brief.', metadata: { team: 'node' }, temperature: 0.5,
  });
  assert.match(created.id, /^asst_/);
  assert.equal(created.object, 'assistant');
  assert.match(created._request_id, /^req_/, 'x-request-id is exposed as _request_id');

  const fetched = await client.beta.assistants.retrieve(created.id);
  assert.deepEqual({ ...fetched, _request_id: undefined }, { ...created, _request_id: undefined });
  assert.equal(fetched.name, 'Weather bot');
  assert.equal(fetched.instructions, 'Be brief.');
  assert.deepEqual(fetched.metadata, { team: 'node' });
  assert.equal(fetched.temperature, 0.5);
});

test('listing assistants with for await walks every page in order', async () => {
  const { client, requests } = recordingClient();
  const tag = randomUUID();
  const ids = [];
  for (let i = 0; i < 5; i++) {
    ids.push((await createAssistant(client, { name: `page-${i}`, metadata: { tag } })).id);
  }

  const seen = [];
  for await (const assistant of client.beta.assistants.list({ limit: 2, order: 'asc' })) {
    if (assistant.metadata?.tag === tag) seen.push(assistant.id);
  }

  assert.deepEqual(seen, ids);
  const pages = requests.filter(r => r.method === 'GET' && r.path.endsWith('/assistants'));
  assert.ok(pages.length >= 3, `expected at least 3 pages of 2, got ${pages.length}`);
  assert.ok(pages.slice(1).every(p => new URLSearchParams(p.search).get('after')?.startsWith('asst_')),
    'every page after the first asks for the items after the last id seen');
});

test('a page of assistants newest first has more and its next page holds an older one', async () => {
  const { client } = recordingClient();
  await createAssistant(client);
  await createAssistant(client);

  const page = await client.beta.assistants.list({ limit: 1 });
  assert.equal(page.data.length, 1);
  assert.equal(page.has_more, true);
  assert.ok(page.hasNextPage());
  const next = await page.getNextPage();
  assert.equal(next.data.length, 1);
  assert.notEqual(next.data[0].id, page.data[0].id);
  assert.ok(next.data[0].created_at <= page.data[0].created_at);
});

test('deleting an assistant answers deleted and retrieving it afterwards is a NotFoundError', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);

  const deleted = await client.beta.assistants.delete(assistant.id);
  assert.deepEqual(deleted, { id: assistant.id, object: 'assistant.deleted', deleted: true });

  await assert.rejects(client.beta.assistants.retrieve(assistant.id), error => {
    assert.ok(error instanceof NotFoundError);
    assert.equal(error.status, 404);
    assert.equal(error.error.message, `No assistant found with id '${assistant.id}'.`);
    return true;
  });
});
