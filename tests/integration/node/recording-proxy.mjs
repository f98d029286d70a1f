// A recording HTTP proxy for client libraries that hide their wire calls (Amplify): it forwards
// every request to Cognate unchanged and notes which action was called and how it ended. The
// server's request log has the action but not the AuthFlow or ChallengeName, and is not there
// at all with COGNATE_ENDPOINT, so tests look at the wire here instead.
// (Not itself a test file.)

import http from 'node:http';

// Response headers that no longer describe the body once fetch() has decoded it.
const DROPPED = new Set(['connection', 'content-length', 'content-encoding', 'keep-alive',
  'transfer-encoding']);

function parseJson(buf) {
  try { return JSON.parse(buf.toString('utf8')); } catch { return null; }
}

// One call as the tests see it. Token values are kept (test memory only) so a test can tell
// which refresh token a client sent and replay it with the SDK.
function describe(req, reqBody, status, resBody) {
  const rq = parseJson(reqBody) ?? {};
  const rs = parseJson(resBody) ?? {};
  const target = req.headers['x-amz-target'] ?? '';
  return {
    target,
    action: target.replace(/^AWSCognitoIdentityProviderService\./, ''),
    authFlow: rq.AuthFlow,
    challengeAnswered: rq.ChallengeName,
    sentRefreshToken: rq.RefreshToken ?? rq.AuthParameters?.REFRESH_TOKEN ?? rq.Token,
    status,
    error: rs.__type,
    errorMessage: rs.message,
    challenge: rs.ChallengeName,
    tokens: rs.AuthenticationResult,
  };
}

// Starts the proxy on a free loopback port in front of `target` (an http:// base URL).
// Returns { endpoint, calls (array, appended to in order), since(mark), mark(), stop() }.
export async function startRecordingProxy(target) {
  const base = target.replace(/\/$/, '');
  const calls = [];
  const server = http.createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      delete headers['content-length'];
      const r = await fetch(`${base}${req.url}`, { method: req.method, headers,
        body: body.length ? body : undefined });
      const out = Buffer.from(await r.arrayBuffer());
      calls.push(describe(req, body, r.status, out));
      const back = {};
      r.headers.forEach((v, k) => { if (!DROPPED.has(k)) back[k] = v; });
      back['content-length'] = String(out.length);
      res.writeHead(r.status, back);
      res.end(out);
    } catch (e) {
      calls.push({ target: req.headers['x-amz-target'], proxyError: String(e) });
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('recording proxy: upstream failed');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    mark: () => calls.length,
    since: (mark) => calls.slice(mark),
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
