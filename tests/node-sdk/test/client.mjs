// One OpenAI client per test, pointed at the server that run.sh started (MOCK_BASE_URL), with a
// fetch that records every request the SDK makes (method, path, headers) and every answer's status
// and headers, so tests can count polls and retries.
import OpenAI from 'openai';

export const baseURL = process.env.MOCK_BASE_URL ?? 'http://127.0.0.1:5080/v1';

export function recordingClient(options = {}) {
  const requests = [];
  const client = new OpenAI({
    baseURL,
    apiKey: 'sk-node-sdk-test',
    ...options,
    fetch: async (url, init) => {
      const headers = new Headers(init?.headers);
      const entry = { method: init?.method ?? 'GET', path: new URL(url).pathname, search: new URL(url).search, headers };
      requests.push(entry);
      const response = await fetch(url, init);
      entry.status = response.status;
      entry.responseHeaders = response.headers;
      return response;
    },
  });
  return { client, requests };
}

/** The GETs a poll helper made for a run (they carry X-Stainless-Poll-Helper: true). */
export function pollsOf(requests, runId) {
  return requests.filter(r => r.method === 'GET' && r.path.endsWith(`/runs/${runId}`)
    && r.headers.get('x-stainless-poll-helper') === 'true');
}

export async function createAssistant(client, body = {}) {
  return client.beta.assistants.create({ model: 'gpt-4o', name: 'node-sdk', ...body });
}

export async function createThread(client, text = 'Hello from the Node SDK') {
  return client.beta.threads.create({ messages: [{ role: 'user', content: text }] });
}

export const weatherTool = {
  type: 'function',
  function: {
    name: 'get_current_weather',
    description: 'The weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

/** The text of a message's content parts. */
export function textOf(message) {
  return message.content.filter(c => c.type === 'text').map(c => c.text.value).join('');
}
