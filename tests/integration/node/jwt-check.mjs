// Token verification for the client-library tests: aws-jwt-verify's generic JwtVerifier against
// Cognate's JWKS (its fetcher needs https, so the JWKS is fetched here and preloaded), with
// Cognito's id/access token audience rules. (Not itself a test file.)

import assert from 'node:assert/strict';

import { JwtVerifier } from 'aws-jwt-verify';

// A verifier for tokens of `clientId` in the pool at `issuer` (`<endpoint>/<pool id>`).
export async function tokenVerifier(issuer, clientId) {
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const r = await fetch(jwksUri);
  assert.equal(r.status, 200, `GET ${jwksUri}`);
  const jwks = await r.json();
  const verifier = JwtVerifier.create({
    issuer,
    audience: null,
    jwksUri,
    customJwtCheck: ({ payload }) => {
      if (payload.token_use === 'id') {
        if (payload.aud !== clientId) throw new Error(`aud ${payload.aud} != ${clientId}`);
      } else if (payload.token_use === 'access') {
        if (payload.client_id !== clientId) {
          throw new Error(`client_id ${payload.client_id} != ${clientId}`);
        }
        if ('aud' in payload) throw new Error('access tokens carry no aud');
      } else {
        throw new Error(`token_use ${payload.token_use}`);
      }
    },
  });
  verifier.cacheJwks(jwks);
  return verifier;
}

// Verifies an id and an access token of one issuance and checks they name the same user and
// sign-in. Returns { id, access } (the verified payloads).
export async function verifyPair(verifier, idToken, accessToken) {
  const id = await verifier.verify(idToken);
  const access = await verifier.verify(accessToken);
  assert.equal(id.token_use, 'id');
  assert.equal(access.token_use, 'access');
  assert.equal(access.sub, id.sub);
  assert.equal(access.username, id['cognito:username']);
  assert.equal(access.origin_jti, id.origin_jti);
  assert.equal(access.auth_time, id.auth_time);
  return { id, access };
}
