// Cancellation, API errors as the SDK's error classes, and runs that end badly (scenarios).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError, NotFoundError } from 'openai';
import { recordingClient, pollsOf, createAssistant, createThread } from './client.mjs';

const slow = { mock_scenario: 'slow' }; // 3 s in progress (run.sh): time to act while the run is active

test('cancelling a run answers cancelling and polling it ends cancelled', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);
  const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, metadata: slow });

  const cancelling = await client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
  assert.equal(cancelling.status, 'cancelling');

  const cancelled = await client.beta.threads.runs.poll(run.id, { thread_id: thread.id });
  assert.equal(cancelled.status, 'cancelled');
  assert.ok(cancelled.cancelled_at >= cancelled.created_at);
  assert.equal(cancelled.completed_at, null);
  const polls = pollsOf(requests, run.id).length;
  assert.ok(polls >= 1 && polls <= 10, `cancelling is polled a few times, got ${polls}`);
});

test('cancelling a completed run is a BadRequestError with the API\'s message', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);
  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
  const before = requests.length;

  await assert.rejects(client.beta.threads.runs.cancel(run.id, { thread_id: thread.id }), error => {
    assert.ok(error instanceof BadRequestError, `got ${error?.constructor?.name}`);
    assert.equal(error.status, 400);
    assert.equal(error.error.message, "Cannot cancel run with status 'completed'.");
    return true;
  });
  assert.equal(requests.length - before, 1, 'a 400 is not retried');
});

test('cancelling a streaming run ends the stream with thread.run.cancelled', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const events = [];
  let cancelled = false;
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id, metadata: slow })
    .on('event', e => {
      events.push(e.event);
      if (e.event === 'thread.message.created' && !cancelled) {
        cancelled = true;
        client.beta.threads.runs.cancel(e.data.run_id, { thread_id: thread.id }).catch(() => {});
      }
    });
  const run = await stream.finalRun();

  assert.equal(run.status, 'cancelled');
  assert.ok(events.includes('thread.run.cancelling'));
  assert.ok(events.includes('thread.run.step.cancelled'));
  assert.equal(events.at(-1), 'thread.run.cancelled');
  const [message] = await stream.finalMessages();
  const stored = await client.beta.threads.messages.retrieve(message.id, { thread_id: thread.id });
  assert.equal(stored.status, 'incomplete');
  assert.equal(stored.incomplete_details.reason, 'run_cancelled');
});

test('a second run on a busy thread is a BadRequestError, not retried', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);
  const first = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, metadata: slow });
  const before = requests.length;

  await assert.rejects(client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id }), error => {
    assert.ok(error instanceof BadRequestError, `got ${error?.constructor?.name}`);
    assert.equal(error.status, 400);
    assert.equal(error.error.message, `Thread ${thread.id} already has an active run ${first.id}.`);
    assert.equal(error.error.type, 'invalid_request_error');
    assert.equal(error.message, `400 Thread ${thread.id} already has an active run ${first.id}.`);
    return true;
  });
  assert.equal(requests.length - before, 1);

  const finished = await client.beta.threads.runs.poll(first.id, { thread_id: thread.id });
  assert.equal(finished.status, 'completed');
});

test('adding a message while a run is active is a BadRequestError with the API\'s message', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);
  const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, metadata: slow });

  await assert.rejects(client.beta.threads.messages.create(thread.id, { role: 'user', content: 'too soon' }), error => {
    assert.ok(error instanceof BadRequestError);
    assert.equal(error.error.message, `Can't add messages to ${thread.id} while a run ${run.id} is active.`);
    return true;
  });
  await client.beta.threads.runs.poll(run.id, { thread_id: thread.id });
});

test('a run on an unknown thread is a NotFoundError', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);
  const before = requests.length;

  await assert.rejects(client.beta.threads.runs.create('thread_missing', { assistant_id: assistant.id }), error => {
    assert.ok(error instanceof NotFoundError, `got ${error?.constructor?.name}`);
    assert.equal(error.status, 404);
    assert.equal(error.error.message, "No thread found with id 'thread_missing'.");
    return true;
  });
  assert.equal(requests.length - before, 1);
});

test('an unknown run is a NotFoundError', async () => {
  const { client } = recordingClient();
  const thread = await createThread(client);

  await assert.rejects(client.beta.threads.runs.retrieve('run_missing', { thread_id: thread.id }), error => {
    assert.ok(error instanceof NotFoundError);
    assert.equal(error.error.message, "No run found with id 'run_missing'.");
    return true;
  });
});

test('an out-of-range parameter is a BadRequestError naming the parameter', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  await assert.rejects(client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, temperature: 3 }), error => {
    assert.ok(error instanceof BadRequestError);
    assert.equal(error.error.param, 'temperature');
    return true;
  });
});

test('the fail scenario makes createAndPoll return a failed run with a server_error', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const run = await client.beta.threads.runs.createAndPoll(thread.id, {
    assistant_id: assistant.id, metadata: { mock_scenario: 'fail' },
  });

  assert.equal(run.status, 'failed');
  assert.equal(run.last_error.code, 'server_error');
  assert.equal(run.last_error.message, 'Sorry, something went wrong.');
  assert.ok(run.failed_at >= run.created_at);
  assert.equal(run.completed_at, null);
});

test('the rate_limit scenario fails the run with rate_limit_exceeded rather than an HTTP 429', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const run = await client.beta.threads.runs.createAndPoll(thread.id, {
    assistant_id: assistant.id, metadata: { mock_scenario: 'rate_limit' },
  });

  assert.equal(run.status, 'failed');
  assert.equal(run.last_error.code, 'rate_limit_exceeded');
  assert.ok(requests.every(r => r.status === 200));
});

test('a failing streamed run ends with thread.run.failed and the SDK\'s finalRun carries last_error', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const events = [];
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id, metadata: { mock_scenario: 'fail' } })
    .on('event', e => events.push(e.event));
  const run = await stream.finalRun();

  assert.equal(run.status, 'failed');
  assert.equal(run.last_error.code, 'server_error');
  assert.deepEqual(events.slice(0, 3), ['thread.run.created', 'thread.run.queued', 'thread.run.in_progress']);
  assert.equal(events.at(-1), 'thread.run.failed');
});

test('the X-Mock-Scenario request header makes the run incomplete', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id },
    { headers: { 'X-Mock-Scenario': 'incomplete' } });

  assert.equal(run.status, 'incomplete');
  assert.equal(run.incomplete_details.reason, 'max_completion_tokens');
  const create = requests.find(r => r.method === 'POST' && r.path.endsWith(`/threads/${thread.id}/runs`));
  assert.equal(create.headers.get('x-mock-scenario'), 'incomplete');
  const [message] = (await client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
  assert.equal(message.status, 'incomplete');
  assert.equal(message.incomplete_details.reason, 'max_tokens');
});
