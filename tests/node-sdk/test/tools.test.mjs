// The function-tool loop through the SDK: requires_action, submitToolOutputsAndPoll, and the
// streaming variant submitToolOutputsStream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from 'openai';
import { recordingClient, createAssistant, createThread, weatherTool, textOf } from './client.mjs';

async function runNeedingTools(client) {
  const assistant = await createAssistant(client, { tools: [weatherTool] });
  const thread = await createThread(client, 'What is the weather in Paris?');
  const run = await client.beta.threads.runs.createAndPoll(thread.id, {
    assistant_id: assistant.id, metadata: { mock_scenario: 'tool_call' },
  });
  return { assistant, thread, run };
}

test('a tool_call run stops at requires_action with function calls matching the tool\'s schema', async () => {
  const { client } = recordingClient();
  const { run } = await runNeedingTools(client);

  assert.equal(run.status, 'requires_action');
  assert.equal(run.required_action.type, 'submit_tool_outputs');
  const calls = run.required_action.submit_tool_outputs.tool_calls;
  assert.ok(calls.length >= 1);
  for (const call of calls) {
    assert.match(call.id, /^call_/);
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_current_weather');
    const args = JSON.parse(call.function.arguments);
    assert.equal(typeof args.city, 'string');
    assert.ok(['c', 'f'].includes(args.unit));
  }
  assert.equal(run.usage, null);
  assert.ok(run.expires_at > run.created_at);
});

test('submitToolOutputsAndPoll answers every call and the run completes with a reply', async () => {
  const { client } = recordingClient();
  const { thread, run } = await runNeedingTools(client);
  const tool_outputs = run.required_action.submit_tool_outputs.tool_calls
    .map(call => ({ tool_call_id: call.id, output: '{"temperature": 21}' }));

  const done = await client.beta.threads.runs.submitToolOutputsAndPoll(run.id, { thread_id: thread.id, tool_outputs });

  assert.equal(done.status, 'completed');
  assert.equal(done.required_action, null);
  const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' });
  assert.deepEqual(steps.data.map(s => s.type), ['tool_calls', 'message_creation']);
  assert.deepEqual(steps.data[0].step_details.tool_calls.map(c => c.function.output),
    tool_outputs.map(() => '{"temperature": 21}'));
  const reply = await client.beta.threads.messages.list(thread.id, { run_id: run.id });
  assert.equal(reply.data.length, 1);
  assert.ok(textOf(reply.data[0]).length > 0);
});

test('submitting outputs for too few calls is a BadRequestError naming the expected ids', async () => {
  const { client } = recordingClient();
  const { thread, run } = await runNeedingTools(client);

  await assert.rejects(
    client.beta.threads.runs.submitToolOutputs(run.id, { thread_id: thread.id, tool_outputs: [] }),
    error => {
      assert.ok(error instanceof BadRequestError, `got ${error?.constructor?.name}`);
      assert.equal(error.status, 400);
      assert.match(error.error.message, /^Expected tool outputs for call_ids \[/);
      return true;
    });
});

test('submitToolOutputsStream streams the rest of the run to completion', async () => {
  const { client } = recordingClient();
  const { thread, run } = await runNeedingTools(client);
  const tool_outputs = run.required_action.submit_tool_outputs.tool_calls
    .map(call => ({ tool_call_id: call.id, output: 'sunny' }));

  const events = [];
  let deltas = '';
  const stream = client.beta.threads.runs.submitToolOutputsStream(run.id, { thread_id: thread.id, tool_outputs })
    .on('event', e => events.push(e.event))
    .on('textDelta', delta => { deltas += delta.value; });
  const finalRun = await stream.finalRun();

  assert.equal(finalRun.id, run.id);
  assert.equal(finalRun.status, 'completed');
  assert.equal(events[0], 'thread.run.step.completed', 'the tool step completes first');
  assert.deepEqual(events.slice(1, 3), ['thread.run.queued', 'thread.run.in_progress']);
  assert.equal(events.at(-1), 'thread.run.completed');
  const [message] = await stream.finalMessages();
  assert.equal(textOf(message), deltas);
  const stored = await client.beta.threads.messages.retrieve(message.id, { thread_id: thread.id });
  assert.equal(textOf(stored), deltas);
});

test('a streamed tool_call run emits the call through toolCallCreated and toolCallDelta and ends at requires_action', async () => {
  const { client } = recordingClient();
  const assistant = await createAssistant(client, { tools: [weatherTool] });
  const thread = await createThread(client, 'Weather?');

  const created = [];
  const argumentPieces = new Map();
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id, metadata: { mock_scenario: 'tool_call' } })
    .on('toolCallCreated', call => { created.push(call.id); })
    .on('toolCallDelta', (delta, snapshot) => {
      argumentPieces.set(snapshot.id, (argumentPieces.get(snapshot.id) ?? '') + (delta.function?.arguments ?? ''));
    });
  const run = await stream.finalRun();

  assert.equal(run.status, 'requires_action');
  const calls = run.required_action.submit_tool_outputs.tool_calls;
  assert.deepEqual(created, calls.map(c => c.id));
  for (const call of calls) assert.equal(argumentPieces.get(call.id), call.function.arguments);
  const [step] = (await stream.finalRunSteps());
  assert.equal(step.type, 'tool_calls');
  assert.deepEqual(step.step_details.tool_calls.map(c => c.function.arguments), calls.map(c => c.function.arguments));
  assert.deepEqual(step.step_details.tool_calls.map(c => c.function.name), calls.map(c => c.function.name));
});
