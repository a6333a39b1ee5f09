// More of the SDK's surface: query arrays, run updates, additional messages, forced tools,
// parallel calls streamed, structured output, deletions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError } from 'openai';
import { recordingClient, createAssistant, createThread, weatherTool, textOf } from './client.mjs';

const timeTool = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } },
};

test('include[] on create run and on listing steps is accepted as the SDK encodes it', async () => {
  const { client, requests } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);
  const include = ['step_details.tool_calls[*].file_search.results[*].content'];

  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, include });
  const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, include });
  const step = await client.beta.threads.runs.steps.retrieve(steps.data[0].id, { thread_id: thread.id, run_id: run.id, include });

  assert.equal(run.status, 'completed');
  assert.equal(step.id, steps.data[0].id);
  const create = requests.find(r => r.method === 'POST' && r.path.endsWith('/runs'));
  assert.match(decodeURIComponent(create.search), /include\[\]=step_details/);
});

test('steps read with include[] give each file search result the text it found; without it there is none', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client, {
    tools: [{ type: 'file_search' }],
    tool_resources: { file_search: { vector_stores: [{ file_ids: ['file-node-notes'] }] } },
  });
  const thread = await createThread(client, 'What do the notes say?');
  const include = ['step_details.tool_calls[*].file_search.results[*].content'];
  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, include });

  const withContent = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc', include });
  const [result] = withContent.data[0].step_details.tool_calls[0].file_search.results;
  assert.equal(result.file_id, 'file-node-notes');
  assert.equal(result.content.length, 1);
  assert.equal(result.content[0].type, 'text');
  assert.ok(result.content[0].text.length > 0);
  const retrieved = await client.beta.threads.runs.steps.retrieve(withContent.data[0].id, { thread_id: thread.id, run_id: run.id, include });
  assert.deepEqual(retrieved.step_details.tool_calls[0].file_search.results[0].content, result.content);

  const without = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' });
  assert.equal('content' in without.data[0].step_details.tool_calls[0].file_search.results[0], false);
});

test('updating a run\'s metadata is seen when it is retrieved', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);
  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });

  await client.beta.threads.runs.update(run.id, { thread_id: thread.id, metadata: { reviewed: 'yes' } });

  const fetched = await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
  assert.deepEqual(fetched.metadata, { reviewed: 'yes' });
  const listed = await client.beta.threads.runs.list(thread.id);
  assert.deepEqual(listed.data.map(r => r.id), [run.id]);
});

test('additional_messages are added to the thread before the run\'s reply', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client, 'first');

  await client.beta.threads.runs.createAndPoll(thread.id, {
    assistant_id: assistant.id, additional_messages: [{ role: 'user', content: 'second' }],
  });

  const messages = await client.beta.threads.messages.list(thread.id, { order: 'asc' });
  assert.deepEqual(messages.data.map(m => m.role), ['user', 'user', 'assistant']);
  assert.equal(textOf(messages.data[1]), 'second');
});

test('a tool_choice naming a function forces one call to it', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client, { tools: [weatherTool, timeTool] });
  const thread = await createThread(client);

  const run = await client.beta.threads.runs.createAndPoll(thread.id, {
    assistant_id: assistant.id, tool_choice: { type: 'function', function: { name: 'get_time' } },
  });

  assert.equal(run.status, 'requires_action');
  assert.deepEqual(run.required_action.submit_tool_outputs.tool_calls.map(c => c.function.name), ['get_time']);
  assert.equal(typeof JSON.parse(run.required_action.submit_tool_outputs.tool_calls[0].function.arguments).zone, 'string');
});

test('parallel tool calls stream through the SDK with each call\'s arguments intact', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client, { tools: [weatherTool, timeTool] });
  const thread = await createThread(client);

  const done = [];
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id, metadata: { mock_scenario: 'tool_call' } })
    .on('toolCallDone', call => done.push(call));
  const run = await stream.finalRun();

  const calls = run.required_action.submit_tool_outputs.tool_calls;
  assert.ok(calls.length >= 2, `expected parallel calls, got ${calls.length}`);
  const [step] = await stream.finalRunSteps();
  assert.deepEqual(step.step_details.tool_calls.map(c => [c.id, c.function.name, c.function.arguments]),
    calls.map(c => [c.id, c.function.name, c.function.arguments]));
  assert.deepEqual(done.map(c => c.id), calls.map(c => c.id), 'toolCallDone fires once per call, the last at requires_action');

  const outputs = calls.map(c => ({ tool_call_id: c.id, output: 'ok' }));
  const finished = await client.beta.threads.runs.submitToolOutputsStream(run.id, { thread_id: thread.id, tool_outputs: outputs }).finalRun();
  assert.equal(finished.status, 'completed');
});

test('a json_schema response_format makes the reply JSON that parses', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client);
  const thread = await createThread(client);

  const run = await client.beta.threads.runs.createAndPoll(thread.id, {
    assistant_id: assistant.id,
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'answer', strict: true,
        schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false },
      },
    },
  });

  assert.equal(run.status, 'completed');
  assert.equal(run.response_format.type, 'json_schema');
  const [reply] = (await client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
  assert.equal(typeof JSON.parse(textOf(reply)).answer, 'string');
});

test('deleting a message and a thread answers deleted objects; the thread is gone afterwards', async () => {
  const { client } = recordingClient();
  const thread = await createThread(client);
  const [message] = (await client.beta.threads.messages.list(thread.id)).data;

  const deletedMessage = await client.beta.threads.messages.delete(message.id, { thread_id: thread.id });
  const deletedThread = await client.beta.threads.delete(thread.id);

  assert.deepEqual(deletedMessage, { id: message.id, object: 'thread.message.deleted', deleted: true });
  assert.deepEqual(deletedThread, { id: thread.id, object: 'thread.deleted', deleted: true });
  await assert.rejects(client.beta.threads.retrieve(thread.id), NotFoundError);
});
