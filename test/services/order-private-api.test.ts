import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInternalApi, type Fetch } from '../../services/order/private-api.ts';
import { verifySigV4, type ReceivedRequest } from './sigv4-verifier.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-1',
};
const baseUrl = 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/';

function capture(status = 200, body: unknown = { ok: true }) {
  const sent: ReceivedRequest[] = [];
  const fetch: Fetch = async (url, init) => {
    sent.push({ method: init.method, url, headers: init.headers, body: init.body });
    return { status, text: async () => JSON.stringify(body) };
  };
  return { sent, fetch };
}

test('POST /payments is signed with SigV4 for execute-api in the region, over the exact body', async () => {
  const { sent, fetch } = capture(200, { authorizationId: 'auth_1', status: 'AUTHORIZED' });
  const api = signedInternalApi({
    baseUrl,
    region: 'us-east-1',
    credentials,
    fetch,
    now: () => new Date('2026-11-26T04:00:00Z'),
  });
  const reply = await api.authorizePayment({
    orderId: 'o-1',
    customerId: 'c-1',
    amount: 1999,
    currency: 'USD',
  });
  assert.deepEqual(reply, { status: 200, body: { authorizationId: 'auth_1', status: 'AUTHORIZED' } });

  const [request] = sent;
  assert.equal(request.method, 'POST');
  assert.equal(request.url, `${baseUrl}payments`);
  assert.deepEqual(JSON.parse(request.body ?? ''), {
    orderId: 'o-1',
    customerId: 'c-1',
    amount: 1999,
    currency: 'USD',
  });
  assert.equal(request.headers['x-amz-date'], '20261126T040000Z');
  assert.equal(request.headers['x-amz-security-token'], 'session-token-1');
  const verified = verifySigV4(request, credentials.secretAccessKey);
  assert.deepEqual(
    {
      ...verified,
      signedHeaders: verified.signedHeaders.filter((h) => ['host', 'content-type', 'x-amz-date'].includes(h)),
    },
    {
      ok: true,
      service: 'execute-api',
      region: 'us-east-1',
      accessKeyId: 'AKIDEXAMPLE',
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
    },
  );
});

test('the signature covers the body: a tampered body no longer verifies', async () => {
  const { sent, fetch } = capture();
  const api = signedInternalApi({ baseUrl, region: 'us-east-1', credentials, fetch });
  await api.authorizePayment({ orderId: 'o-1', customerId: 'c-1', amount: 1999, currency: 'USD' });
  const tampered = { ...sent[0], body: sent[0].body?.replace('1999', '1') };
  assert.equal(verifySigV4(sent[0], credentials.secretAccessKey).ok, true);
  assert.equal(verifySigV4(tampered, credentials.secretAccessKey).ok, false);
  assert.equal(verifySigV4(sent[0], 'another-secret').ok, false);
});

test('GET /customers/{id} is signed, has no body and the id is URL-encoded', async () => {
  const { sent, fetch } = capture(404, { message: 'customer c 1 not found' });
  const api = signedInternalApi({ baseUrl: baseUrl.slice(0, -1), region: 'eu-west-1', credentials, fetch });
  const reply = await api.getCustomer('c 1');
  assert.equal(reply.status, 404);
  assert.equal(sent[0].url, `${baseUrl}customers/c%201`);
  assert.equal(sent[0].body, undefined);
  assert.equal(sent[0].headers.host, undefined, 'fetch sets Host from the URL');
  const verified = verifySigV4(sent[0], credentials.secretAccessKey);
  assert.equal(verified.ok, true);
  assert.equal(verified.region, 'eu-west-1');
});

test('a credentials provider (the default chain in Lambda) is resolved per call', async () => {
  const { sent, fetch } = capture();
  let calls = 0;
  const provider = async () => {
    calls += 1;
    return credentials;
  };
  const api = signedInternalApi({ baseUrl, region: 'us-east-1', credentials: provider, fetch });
  await api.getCustomer('c-1');
  assert.ok(calls >= 1);
  assert.equal(verifySigV4(sent[0], credentials.secretAccessKey).ok, true);
});

test('a non-JSON error body is kept as text', async () => {
  const fetch: Fetch = async () => ({ status: 403, text: async () => '<html>Forbidden</html>' });
  const api = signedInternalApi({ baseUrl, region: 'us-east-1', credentials, fetch });
  assert.deepEqual(await api.getCustomer('c-1'), { status: 403, body: '<html>Forbidden</html>' });
});
