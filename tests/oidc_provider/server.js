// A real OpenID provider for the single sign-on journeys (tests/e2e/test_sso_journey.py):
// panva's oidc-provider (OpenID Certified), on 127.0.0.1 only, configured from one JSON
// argument the pytest fixture (tests/e2e/oidc.py) writes:
//
//   { "port": 0, "issuer": "...", "client": {client_id, client_secret, redirect_uris,
//     post_logout_redirect_uris}, "accounts": [{sub, username, password, email, name, groups}],
//     "clockOffsetSeconds": 0, "idTokenSeconds": 300 }
//
// It prints "listening <port>" once it answers. Its own sign-in page is a plain form
// (username, password); consent is given for the one first-party client without asking, as a
// council's identity provider does for its own applications. `clockOffsetSeconds` runs the
// provider's clock early or late (an expired ID token, as from a provider whose clock is wrong).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const offsetMs = (config.clockOffsetSeconds || 0) * 1000;
if (offsetMs) {
  const realNow = Date.now;
  Date.now = () => realNow() + offsetMs;
}

const accounts = new Map(config.accounts.map((a) => [a.sub, a]));
const byUsername = new Map(config.accounts.map((a) => [a.username, a]));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'test-key' };

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

const provider = new Provider(config.issuer, {
  clients: [{
    ...config.client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-only-cookie-key-0123456789'] },
  pkce: { required: () => true },
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  ttl: { IdToken: config.idTokenSeconds || 300, Session: 3600, Interaction: 3600, Grant: 3600 },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out of the council', `${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, sub) => {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      claims: async () => ({
        sub,
        email: account.email,
        email_verified: true,
        name: account.name,
        groups: account.groups,
      }),
    };
  },
});

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  const { prompt, params, session, grantId } = details;
  if (prompt.name === 'login') {
    if (action === 'login' && req.method === 'POST') {
      const form = await readForm(req);
      const account = byUsername.get(form.get('username'));
      if (account && account.password === form.get('password')) {
        await provider.interactionFinished(req, res, { login: { accountId: account.sub, amr: ['pwd', 'mfa'] } }, { mergeWithLastSubmission: false });
        return;
      }
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page('Sign in to the council', `<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in to the council</button></form>`));
    return;
  }
  // consent: the council's own application, granted without asking.
  const grant = grantId ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

const handle = provider.callback();
const server = http.createServer((req, res) => {
  const match = /^\/interaction\/([^/?]+)(?:\/(login))?/.exec(req.url);
  if (!match) return handle(req, res);
  interaction(req, res, match[1], match[2]).catch((error) => {
    res.statusCode = 400;
    res.setHeader('Content-Type', 'text/plain');
    res.end(`interaction failed: ${error.message}`);
  });
  return undefined;
});
server.listen(config.port || 0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
