// The SDK's retry logic against injected faults: it retries 429 and 5xx (and dropped
// connections), waits what retry-after-ms says, and numbers its attempts in
// X-Stainless-Retry-Count. The fault is forced with X-Mock-Fault on the first attempt only, so
// the retry goes through — and no other test file running at the same time is touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI, { RateLimitError } from 'openai';
import { baseURL } from './client.mjs';

/** A client whose first `faulted` attempts of each request carry X-Mock-Fault: <fault>; records every attempt. */
function faultingClient(fault, { faulted = 1, ...options } = {}) {
  const attempts = [];
  const client = new OpenAI({
    baseURL,
    apiKey: 'sk-node-sdk-retries',
    ...options,
    fetch: async (url, init) => {
      const headers = new Headers(init?.headers);
      const retry = Number(headers.get('x-stainless-retry-count') ?? '0');
      if (retry < faulted) {
        headers.set('X-Mock-Fault', fault);
      }
      const attempt = { at: performance.now(), retry, status: null, headers: null };
      attempts.push(attempt);
      const response = await fetch(url, { ...init, headers });
      attempt.status = response.status;
      attempt.headers = response.headers;
      return response;
    },
  });
  return { client, attempts };
}

test('a 429 is retried after retry-after-ms and the retry succeeds', async () => {
  const { client, attempts } = faultingClient('429');

  const page = await client.beta.assistants.list({ limit: 1 });

  assert.ok(Array.isArray(page.data));
  assert.deepEqual(attempts.map(a => a.status), [429, 200]);
  assert.deepEqual(attempts.map(a => a.retry), [0, 1]);
  const waitedFor = Number(attempts[0].headers.get('retry-after-ms'));
  assert.equal(waitedFor, 1000);
  assert.equal(attempts[0].headers.get('retry-after'), '1');
  // The SDK's own first backoff is at most 0.5 s: a wait of a second or more is the header's.
  assert.ok(attempts[1].at - attempts[0].at >= waitedFor - 5, `retried after ${attempts[1].at - attempts[0].at} ms`);
});

for (const fault of ['500', '503']) {
  test(`a ${fault} is retried and the retry succeeds`, async () => {
    const { client, attempts } = faultingClient(fault);

    await client.beta.assistants.list({ limit: 1 });

    assert.deepEqual(attempts.map(a => a.status), [Number(fault), 200]);
  });
}

test('a dropped connection is retried and the retry succeeds', async () => {
  const { client, attempts } = faultingClient('drop');

  await client.beta.assistants.list({ limit: 1 });

  assert.equal(attempts.length, 2);
  assert.equal(attempts[1].status, 200);
});

test('a create retried after a fault creates exactly one object', async () => {
  const { client, attempts } = faultingClient('503');
  const name = `retried-${Date.now()}`;

  const assistant = await client.beta.assistants.create({ model: 'gpt-4o', name });

  assert.deepEqual(attempts.map(a => a.status), [503, 200]);
  const all = [];
  for await (const a of client.beta.assistants.list({ limit: 100 })) {
    if (a.name === name) all.push(a.id);
  }
  assert.deepEqual(all, [assistant.id]);
});

test('after maxRetries the SDK throws the 429 as a RateLimitError', async () => {
  const { client, attempts } = faultingClient('429', { faulted: 99, maxRetries: 1 });

  await assert.rejects(client.beta.assistants.list({ limit: 1 }), error => {
    assert.ok(error instanceof RateLimitError, `got ${error?.constructor?.name}`);
    assert.equal(error.error.type, 'requests');
    assert.equal(error.error.code, 'rate_limit_exceeded');
    return true;
  });
  assert.deepEqual(attempts.map(a => a.status), [429, 429]);
});
