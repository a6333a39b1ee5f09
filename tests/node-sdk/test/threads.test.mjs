// Threads and their messages through the Node SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError } from 'openai';
import { recordingClient, textOf } from './client.mjs';

test('a thread created with messages lists them oldest first with their text', async () => {
  const { client } = recordingClient();
  const thread = await client.beta.threads.create({
    messages: [
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'First answer' },
      { role: 'user', content: [{ type: 'text', text: 'Second question' }], metadata: { n: '3' } },
    ],
    metadata: { source: 'node' },
  });
  assert.match(thread.id, /^thread_/);
  assert.equal(thread.object, 'thread');
  assert.deepEqual(thread.metadata, { source: 'node' });

  const messages = [];
  for await (const message of client.beta.threads.messages.list(thread.id, { order: 'asc' })) messages.push(message);

  assert.deepEqual(messages.map(m => [m.role, textOf(m)]), [
    ['user', 'First question'], ['assistant', 'First answer'], ['user', 'Second question'],
  ]);
  assert.ok(messages.every(m => m.thread_id === thread.id && m.object === 'thread.message'));
  assert.deepEqual(messages[2].metadata, { n: '3' });
});

test('a message added to a thread is retrieved by id and listed first by default', async () => {
  const { client } = recordingClient();
  const thread = await client.beta.threads.create();
  await client.beta.threads.messages.create(thread.id, { role: 'user', content: 'one' });
  const added = await client.beta.threads.messages.create(thread.id, { role: 'user', content: 'two' });

  const fetched = await client.beta.threads.messages.retrieve(added.id, { thread_id: thread.id });
  assert.equal(textOf(fetched), 'two');
  assert.equal(fetched.content[0].text.annotations.length, 0);

  const page = await client.beta.threads.messages.list(thread.id, { limit: 1 });
  assert.equal(page.data[0].id, added.id);
  assert.equal(page.has_more, true);
});

test('updating a thread\'s metadata is seen when it is retrieved', async () => {
  const { client } = recordingClient();
  const thread = await client.beta.threads.create();

  await client.beta.threads.update(thread.id, { metadata: { stage: 'two' } });

  const fetched = await client.beta.threads.retrieve(thread.id);
  assert.deepEqual(fetched.metadata, { stage: 'two' });
});

test('an unknown thread is a NotFoundError with the API\'s message', async () => {
  const { client, requests } = recordingClient();

  await assert.rejects(client.beta.threads.retrieve('thread_doesnotexist'), error => {
    assert.ok(error instanceof NotFoundError, `got ${error?.constructor?.name}`);
    assert.equal(error.status, 404);
    assert.equal(error.error.message, "No thread found with id 'thread_doesnotexist'.");
    assert.equal(error.error.type, 'invalid_request_error');
    assert.match(error.requestID ?? '', /^req_/);
    return true;
  });
  assert.equal(requests.length, 1, 'a 404 is not retried');
});

test('listing the messages of an unknown thread is a NotFoundError', async () => {
  const { client } = recordingClient();

  await assert.rejects(client.beta.threads.messages.list('thread_nope').then(page => page.data), NotFoundError);
});
