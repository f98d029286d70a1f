// PreTokenGeneration as a webhook, seen from a JavaScript app: a tiny node:http receiver adds
// claims, and aws-jwt-verify (jwt-check.mjs) verifies the tokens and sees them. V1 changes the
// ID token; V2_0 (PreTokenGenerationConfig) the access token and its scopes.
//
// Server: see cognate-server.mjs. The receiver listens on 127.0.0.1, so a server given with
// COGNATE_ENDPOINT must run on this machine.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { REGION, startCognate } from './cognate-server.mjs';
import { tokenVerifier } from './jwt-check.mjs';

const PASSWORD = 'Passw0rd!';
const SCOPE = 'aws.cognito.signin.user.admin';

let server;
let client;
let receiver;
const events = [];

// Answers every event like a Lambda function that sets the response for its version.
function preTokenHandler(event) {
  if (event.version === '1') {
    return { claimsOverrideDetails: { claimsToAddOrOverride: { tier: 'gold' },
      claimsToSuppress: ['email'] } };
  }
  return { claimsAndScopeOverrideDetails: { accessTokenGeneration: {
    claimsToAddOrOverride: { tenant: { id: 7, name: 'acme' } }, scopesToAdd: ['api/read'] } } };
}

function startReceiver() {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        const event = JSON.parse(body);
        events.push(event);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ...event, response: preTokenHandler(event) }));
      });
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

before(async () => {
  server = await startCognate();
  client = new CognitoIdentityProviderClient({ region: REGION, endpoint: server.endpoint,
    credentials: server.credentials, maxAttempts: 1 });
  receiver = await startReceiver();
});

after(async () => {
  client?.destroy();
  await new Promise((r) => (receiver ? receiver.close(r) : r()));
  await server?.stop();
});

const unique = (p) => `${p}-${crypto.randomBytes(5).toString('hex')}`;

// A pool with `lambdaConfig`, a password client and a user; returns the tokens of a sign-in
// and a verifier for them.
async function signInWith(lambdaConfig) {
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: unique('node-ptg'),
    LambdaConfig: lambdaConfig }));
  const poolId = pool.UserPool.Id;
  const c = await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId,
    ClientName: 'node-ptg', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH'] }));
  const clientId = c.UserPoolClient.ClientId;
  const username = unique('js');
  await client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username,
    MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `${username}@x.test` }] }));
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username,
    Password: PASSWORD, Permanent: true }));
  const out = await client.send(new InitiateAuthCommand({ ClientId: clientId,
    AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));
  const verifier = await tokenVerifier(`${server.endpoint}/${poolId}`, clientId);
  return { result: out.AuthenticationResult, verifier, poolId };
}

const url = () => `http://127.0.0.1:${receiver.address().port}/pre-token`;

test('PreTokenGeneration V1: aws-jwt-verify sees the added ID token claim', async () => {
  const { result, verifier, poolId } = await signInWith({ PreTokenGeneration: url() });
  const id = await verifier.verify(result.IdToken);
  assert.equal(id.tier, 'gold');
  assert.equal(id.email, undefined, 'suppressed');
  const access = await verifier.verify(result.AccessToken);
  assert.equal(access.tier, undefined, 'V1 changes the ID token only');
  const event = events.find((e) => e.userPoolId === poolId);
  assert.equal(event.triggerSource, 'TokenGeneration_Authentication');
  assert.equal(event.version, '1');
});

test('PreTokenGeneration V2_0: a JSON claim and a scope in the access token', async () => {
  const { result, verifier, poolId } = await signInWith({
    PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: url() } });
  const access = await verifier.verify(result.AccessToken);
  assert.deepEqual(access.tenant, { id: 7, name: 'acme' });
  assert.equal(access.scope, `${SCOPE} api/read`);
  const id = await verifier.verify(result.IdToken);
  assert.equal(id.tenant, undefined);
  const event = events.find((e) => e.userPoolId === poolId);
  assert.equal(event.version, '2');
  assert.deepEqual(event.request.scopes, [SCOPE]);
});
