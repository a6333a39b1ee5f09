// The SDK's poll helpers: createAndPoll, createAndRunPoll, poll. With InProgress 200 ms the server's
// openai-poll-after-ms hint makes them poll a handful of times; without it they would sleep 5 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordingClient, pollsOf, createAssistant, createThread, textOf } from './client.mjs';

test('createAndPoll returns the completed run with its usage and timestamps', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client, { instructions: 'Answer briefly.' });
  const thread = await createThread(client);

  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });

  assert.equal(run.status, 'completed');
  assert.equal(run.thread_id, thread.id);
  assert.equal(run.assistant_id, assistant.id);
  assert.equal(run.instructions, 'Answer briefly.');
  assert.equal(run.last_error, null);
  assert.equal(run.expires_at, null);
  assert.ok(run.started_at >= run.created_at && run.completed_at >= run.started_at);
  assert.equal(run.usage.total_tokens, run.usage.prompt_tokens + run.usage.completion_tokens);
});

test('createAndPoll follows openai-poll-after-ms: a few polls, not one after the 5 s default', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  // The slow scenario (3 s in progress, run.sh): the first poll comes long before the run ends, however loaded the machine.
  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, metadata: { mock_scenario: 'slow' } });

  assert.equal(run.status, 'completed');
  const polls = pollsOf(requests, run.id);
  // Queued 50 ms + InProgress 3 s in 4 text chunks: each hint is the time to the next change, so
  // about 6 polls; the 5 s default would have made 2.
  assert.ok(polls.length >= 4 && polls.length <= 20, `expected 4..20 polls, got ${polls.length}`);
  const moving = polls.filter(p => p.responseHeaders.has('openai-poll-after-ms'));
  assert.equal(moving.length, polls.length - 1, 'every poll but the last (completed) carries the hint');
  for (const p of moving) {
    const hint = p.responseHeaders.get('openai-poll-after-ms');
    assert.match(hint, /^\d+$/, 'the hint is an integer string');
    assert.ok(Number(hint) >= 1 && Number(hint) <= 1000, `hint ${hint} within 1..1000 ms`);
  }
  assert.equal(polls.at(-1).responseHeaders.get('openai-poll-after-ms'), null);
});

test('an explicit pollIntervalMs is sent as X-Stainless-Custom-Poll-Interval and the run still completes', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 100 });

  assert.equal(run.status, 'completed');
  const polls = pollsOf(requests, run.id);
  assert.ok(polls.length >= 2 && polls.length <= 10, `expected 2..10 polls, got ${polls.length}`);
  assert.ok(polls.every(p => p.headers.get('x-stainless-custom-poll-interval') === '100'));
});

test('every SDK request carries the assistants=v2 beta header the server requires', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });

  assert.ok(requests.length >= 4);
  assert.ok(requests.every(r => r.headers.get('openai-beta') === 'assistants=v2'));
  assert.ok(requests.every(r => r.status === 200));
});

test('createAndRunPoll creates the thread and returns the completed run', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);

  const run = await client.beta.threads.createAndRunPoll({
    assistant_id: assistant.id,
    thread: { messages: [{ role: 'user', content: 'Tell me a story' }] },
    metadata: { mock_scenario: 'slow' },
  });

  assert.equal(run.status, 'completed');
  assert.match(run.thread_id, /^thread_/);
  const polls = pollsOf(requests, run.id);
  assert.ok(polls.length >= 2 && polls.length <= 20, `expected 2..20 polls, got ${polls.length}`);
  const messages = await client.beta.threads.messages.list(run.thread_id, { order: 'asc' });
  assert.deepEqual(messages.data.map(m => m.role), ['user', 'assistant']);
  assert.equal(textOf(messages.data[0]), 'Tell me a story');
});

test('the messages of a run are listed with run_id and hold the assistant\'s reply', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);
  const first = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
  await client.beta.threads.messages.create(thread.id, { role: 'user', content: 'And again' });
  const second = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });

  const ofSecond = await client.beta.threads.messages.list(thread.id, { run_id: second.id });

  assert.equal(ofSecond.data.length, 1);
  const reply = ofSecond.data[0];
  assert.equal(reply.role, 'assistant');
  assert.equal(reply.run_id, second.id);
  assert.equal(reply.assistant_id, assistant.id);
  assert.ok(textOf(reply).length > 0);
  const ofFirst = await client.beta.threads.messages.list(thread.id, { run_id: first.id });
  assert.deepEqual(ofFirst.data.map(m => m.run_id), [first.id]);
  assert.notEqual(ofFirst.data[0].id, reply.id);
});

test('the run steps of a completed run show the message it created', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);
  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });

  const steps = [];
  for await (const step of client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id })) steps.push(step);

  assert.equal(steps.length, 1);
  assert.equal(steps[0].type, 'message_creation');
  assert.equal(steps[0].status, 'completed');
  const messageId = steps[0].step_details.message_creation.message_id;
  const message = await client.beta.threads.messages.retrieve(messageId, { thread_id: thread.id });
  assert.equal(message.run_id, run.id);
});
