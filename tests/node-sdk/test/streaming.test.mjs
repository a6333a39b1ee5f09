// Streaming through the SDK's AssistantStream: runs.stream and threads.createAndRunStream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordingClient, createAssistant, createThread, textOf } from './client.mjs';

test('runs.stream delivers text deltas that add up to the final and the stored message', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const deltas = [];
  const snapshots = [];
  let done;
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id })
    .on('textDelta', (delta, snapshot) => { deltas.push(delta.value); snapshots.push(snapshot.value); })
    .on('messageDone', message => { done = message; });
  const run = await stream.finalRun();

  assert.equal(run.status, 'completed');
  assert.ok(deltas.length >= 2, `expected the text in pieces, got ${deltas.length}`);
  const text = deltas.join('');
  assert.equal(snapshots.at(-1), text, 'the snapshot grows by each delta');
  // finalMessages() holds the SDK's snapshot (created + deltas); messageDone gets thread.message.completed.
  const messages = await stream.finalMessages();
  assert.equal(messages.length, 1);
  assert.equal(textOf(messages[0]), text);
  assert.equal(done.id, messages[0].id);
  assert.equal(done.status, 'completed');
  assert.equal(textOf(done), text);
  assert.deepEqual(messages[0].content[0].text.annotations, []);
  const stored = await client.beta.threads.messages.retrieve(messages[0].id, { thread_id: thread.id });
  assert.equal(textOf(stored), text);
  assert.equal(stored.run_id, run.id);
});

test('runs.stream emits the documented event sequence of a completion', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const events = [];
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id })
    .on('event', e => events.push(e.event));
  await stream.done();

  const withoutDeltas = events.filter(e => e !== 'thread.message.delta');
  assert.deepEqual(withoutDeltas, [
    'thread.run.created', 'thread.run.queued', 'thread.run.in_progress',
    'thread.run.step.created', 'thread.run.step.in_progress',
    'thread.message.created', 'thread.message.in_progress',
    'thread.message.completed', 'thread.run.step.completed', 'thread.run.completed',
  ]);
  assert.ok(events.includes('thread.message.delta'));
});

test('the SDK\'s higher-level stream callbacks fire in order for one message', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const seen = [];
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id })
    .on('runStepCreated', () => seen.push('runStepCreated'))
    .on('messageCreated', () => seen.push('messageCreated'))
    .on('textCreated', () => seen.push('textCreated'))
    .on('textDone', () => seen.push('textDone'))
    .on('messageDone', () => seen.push('messageDone'))
    .on('runStepDone', () => seen.push('runStepDone'))
    .on('end', () => seen.push('end'));
  const run = await stream.finalRun();

  assert.equal(run.status, 'completed');
  assert.deepEqual(seen, ['runStepCreated', 'messageCreated', 'textCreated', 'textDone', 'messageDone', 'runStepDone', 'end']);
  const [step] = await stream.finalRunSteps();
  assert.equal(step.status, 'completed');
  assert.equal(step.usage.total_tokens, step.usage.prompt_tokens + step.usage.completion_tokens);
});

test('threads.createAndRunStream starts with thread.created and completes the run on the new thread', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);

  const events = [];
  let text = '';
  const stream = client.beta.threads.createAndRunStream({
    assistant_id: assistant.id,
    thread: { messages: [{ role: 'user', content: 'Stream me a thread' }] },
  })
    .on('event', e => events.push(e))
    .on('textDelta', delta => { text += delta.value; });
  const run = await stream.finalRun();

  assert.equal(run.status, 'completed');
  assert.equal(events[0].event, 'thread.created');
  const threadId = events[0].data.id;
  assert.match(threadId, /^thread_/);
  assert.equal(run.thread_id, threadId);
  const messages = await client.beta.threads.messages.list(threadId, { order: 'asc' });
  assert.deepEqual(messages.data.map(m => m.role), ['user', 'assistant']);
  assert.equal(textOf(messages.data[1]), text);
});

test('a stream can be consumed with for await, ending at thread.run.completed', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const names = [];
  for await (const event of client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id })) {
    names.push(event.event);
  }

  assert.equal(names[0], 'thread.run.created');
  assert.equal(names.at(-1), 'thread.run.completed');
});

test('runs.create with stream: true yields raw events the SDK parses as JSON', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const stream = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, stream: true });
  const events = [];
  for await (const event of stream) events.push(event);

  assert.ok(events.every(e => typeof e.data === 'object' && e.data !== null));
  const completed = events.find(e => e.event === 'thread.run.completed');
  assert.equal(completed.data.object, 'thread.run');
  assert.equal(completed.data.status, 'completed');
  const firstDelta = events.find(e => e.event === 'thread.message.delta');
  assert.equal(firstDelta.data.object, 'thread.message.delta');
  assert.deepEqual(firstDelta.data.delta.content[0].text.annotations, []);
});

test('a file search streams as a file_search tool call and the answer\'s citation reaches finalMessages', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client, {
    tools: [{ type: 'file_search' }],
    tool_resources: { file_search: { vector_stores: [{ file_ids: ['file-node-report'] }] } },
  });
  const thread = await createThread(client, 'What does the report say?');

  const toolCalls = [];
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id })
    .on('toolCallCreated', call => toolCalls.push(call));
  const run = await stream.finalRun();

  assert.equal(run.status, 'completed');
  assert.deepEqual(toolCalls.map(call => call.type), ['file_search']);
  const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' });
  const search = steps.data[0].step_details.tool_calls[0];
  assert.equal(search.type, 'file_search');
  assert.deepEqual(search.file_search.results.map(result => result.file_id), ['file-node-report']);

  const [message] = await stream.finalMessages();
  const [citation] = message.content[0].text.annotations;
  assert.equal(citation.type, 'file_citation');
  assert.equal(citation.file_citation.file_id, 'file-node-report');
  assert.equal(textOf(message).slice(citation.start_index, citation.end_index), citation.text);
  const stored = await client.beta.threads.messages.retrieve(message.id, { thread_id: thread.id });
  assert.equal(textOf(stored), textOf(message));
  assert.equal(stored.content[0].text.annotations[0].file_citation.file_id, 'file-node-report');
});

test('code the run ran streams as a code_interpreter tool call whose merged input and logs match the stored step', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client, {
    tools: [{ type: 'code_interpreter' }],
    tool_resources: { code_interpreter: { file_ids: ['file-node-sales'] } },
  });
  const thread = await createThread(client, 'Describe the data.');

  const done = [];
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id })
    .on('toolCallDone', call => done.push(call));
  const run = await stream.finalRun();

  assert.equal(run.status, 'completed');
  assert.equal(done.length, 1);
  assert.equal(done[0].type, 'code_interpreter');
  const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' });
  const stored = steps.data[0].step_details.tool_calls[0];
  assert.equal(stored.type, 'code_interpreter');
  assert.match(stored.code_interpreter.input, /\/mnt\/data\/file-node-sales/);
  assert.equal(done[0].code_interpreter.input, stored.code_interpreter.input);
  assert.deepEqual(done[0].code_interpreter.outputs.map(output => output.logs), stored.code_interpreter.outputs.map(output => output.logs));
});
