// USER_SRP_AUTH with amazon-cognito-identity-js (its default flow): the library computes the
// client half of SRP, so a sign-in proves Cognate's verifier, SECRET_BLOCK and claim check are
// what the clients expect (cognito-wire.md §4).
//
// Server: see cognate-server.mjs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';

import { REGION, startCognate } from './cognate-server.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoIdentity;
const PASSWORD = 'Passw0rd!';

let server;
let client;
const state = {};

const unique = (p) => `${p}-${crypto.randomBytes(5).toString('hex')}`;

before(async () => {
  server = await startCognate();
  client = new CognitoIdentityProviderClient({ region: REGION, endpoint: server.endpoint,
    credentials: server.credentials, maxAttempts: 1 });
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: unique('node-srp') }));
  state.poolId = pool.UserPool.Id;
  const c = await client.send(new CreateUserPoolClientCommand({
    UserPoolId: state.poolId, ClientName: 'node-srp',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  state.clientId = c.UserPoolClient.ClientId;
  state.username = unique('srp');
  await client.send(new AdminCreateUserCommand({ UserPoolId: state.poolId,
    Username: state.username, MessageAction: 'SUPPRESS' }));
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: state.poolId,
    Username: state.username, Password: PASSWORD, Permanent: true }));
});

after(async () => {
  await server?.stop();
});

// authenticateUser as a promise: resolves with the session, rejects with the error.
function signIn(username, password) {
  const pool = new CognitoUserPool({ UserPoolId: state.poolId, ClientId: state.clientId,
    endpoint: `${server.endpoint.replace(/\/$/, '')}/` });
  const user = new CognitoUser({ Username: username, Pool: pool });
  const details = new AuthenticationDetails({ Username: username, Password: password });
  return new Promise((resolve, reject) => {
    user.authenticateUser(details, {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    });
  });
}

test('amazon-cognito-identity-js signs in with SRP and gets working tokens', async () => {
  const session = await signIn(state.username, PASSWORD);
  assert.ok(session.isValid());
  const access = session.getAccessToken().getJwtToken();
  assert.equal(session.getAccessToken().decodePayload().username, state.username);
  assert.ok(session.getIdToken().getJwtToken());
  assert.ok(session.getRefreshToken().getToken());
  const me = await client.send(new GetUserCommand({ AccessToken: access }));
  assert.equal(me.Username, state.username);
});

test('a wrong password fails with NotAuthorizedException', async () => {
  await assert.rejects(signIn(state.username, 'Wr0ngPassword!'), (err) => {
    assert.equal(err.code, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
    return true;
  });
});
