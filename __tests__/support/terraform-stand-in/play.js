/**
 * The part of the Terraform stand-in (./terraform) that needs the stack's configuration and
 * state: plan, apply, destroy and output, played without providers or a cloud.
 *
 * It does what makes a runbook fail for real: a required variable without a value (terraform
 * prompts for it, which the cdktf CLI turns into a failure), a remote-state read of an output
 * that the producing stack's state does not hold (that stack was not deployed yet, or was
 * destroyed already), and a `kubernetes_manifest` of a kind the cluster does not serve yet (the
 * kubernetes provider asks the API server for every manifest's kind at plan time, so a custom
 * resource whose definition an add-on or another resource of the run installs cannot be planned
 * on a first deployment). An apply writes the stack's state with recorded output values, so the
 * stacks that read it find them; a destroy empties it.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const TERRAFORM_VERSION = "1.11.4";
const RECORDED = require("./recorded-outputs.json");
const KINDS = /-(network|cluster|secrets|operator|monitoring)$/;

function log(event, args) {
  const vars = Object.keys(process.env).filter((name) => name.startsWith("TF_VAR_")).sort().join(" ");
  fs.appendFileSync(process.env.RUNBOOK_LOG || "/dev/null", `${event}\t${process.cwd()}\t${args.join(" ")}\t${vars}${vars ? " " : ""}\n`);
}

function fail(message) {
  process.stderr.write(`\nError: ${message}\n\n`);
  process.exit(1);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function configuration() {
  if (!fs.existsSync("cdk.tf.json")) fail("No configuration files (the stand-in plays cdk.tf.json only)");
  return readJson("cdk.tf.json");
}

/** The stack's Terraform Cloud workspace, when its backend is `cloud`. */
function cloudWorkspace(config) {
  const cloud = config.terraform && config.terraform.cloud;
  return cloud ? { organization: cloud.organization, name: cloud.workspaces.name } : undefined;
}

/**
 * Terraform Cloud, played from files: STAND_IN_TFC_DIR/<organization>/<workspace>.json holds a
 * workspace's execution mode, the keys of its variables (never values of sensitive ones) and its
 * state's outputs. The runbook tests' stand-in API (support/fake-tfc.ts) serves the same files.
 */
function workspaceFile(organization, name) {
  if (!process.env.STAND_IN_TFC_DIR) fail("the stand-in plays the cloud backend only with STAND_IN_TFC_DIR set");
  return path.join(process.env.STAND_IN_TFC_DIR, organization, `${name}.json`);
}

function readWorkspace(organization, name) {
  const file = workspaceFile(organization, name);
  return fs.existsSync(file) ? readJson(file) : undefined;
}

function writeWorkspace(organization, name, workspace) {
  const file = workspaceFile(organization, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(workspace, null, 2));
}

/** The local state file of the stack, as its backend names it (the cloud backend keeps none here). */
function statePath(config) {
  const local = config.terraform && config.terraform.backend && config.terraform.backend.local;
  if (!local) fail("the stand-in plays the local and cloud backends only");
  return path.resolve(local.path);
}

function readState(file) {
  return fs.existsSync(file) ? readJson(file) : { version: 4, terraform_version: TERRAFORM_VERSION, serial: 0, outputs: {}, resources: [] };
}

function writeState(file, outputs) {
  const state = readState(file);
  fs.writeFileSync(file, JSON.stringify({ ...state, serial: state.serial + 1, outputs }, null, 2));
}

/** Required variables without a value: in the environment, or in a remote run the workspace's variables. */
function missingVariables(config, remote) {
  const given = (name) => (remote ? Boolean(remote.vars[name] && remote.vars[name].category === "terraform") : process.env[`TF_VAR_${name}`] !== undefined);
  return Object.entries(config.variable || {})
    .filter(([name, variable]) => !("default" in variable) && !given(name))
    .map(([name, variable]) => ({ name, description: variable.description || "" }));
}

/** Outputs this stack reads from other stacks' state (local files, or workspaces through tfe_outputs) that are not there. */
function unreadableOutputs(config) {
  const text = JSON.stringify(config);
  const missing = [];
  const check = (kind, name, outputs, attribute) => {
    const pattern = new RegExp(`data\\.${kind}\\.${name}\\.${attribute}\\.([A-Za-z0-9_-]+)`, "g");
    for (const [, output] of text.matchAll(pattern)) if (!(output in outputs)) missing.push({ source: `${kind}.${name}.${attribute}`, output });
  };
  for (const [name, source] of Object.entries((config.data && config.data.terraform_remote_state) || {})) {
    if (source.backend !== "local") fail("the stand-in plays local remote state only");
    check("terraform_remote_state", name, readState(path.resolve(source.config.path)).outputs || {}, "outputs");
  }
  for (const [name, source] of Object.entries((config.data && config.data.tfe_outputs) || {})) {
    const producer = readWorkspace(source.organization, source.workspace);
    check("tfe_outputs", name, (producer && producer.outputs) || {}, "values");
  }
  return missing;
}

/** API groups a new AKS cluster serves before anything is installed in it. */
const BUILT_IN_API_VERSIONS = /^(v1|(apps|batch|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|storage\.k8s\.io|scheduling\.k8s\.io|coordination\.k8s\.io|discovery\.k8s\.io|node\.k8s\.io)\/v[0-9a-z]+)$/;

/** The first kubernetes_manifest whose kind a fresh cluster does not serve, if any. */
function unservedKind(config) {
  const manifests = (config.resource && config.resource.kubernetes_manifest) || {};
  for (const [name, body] of Object.entries(manifests)) {
    const { apiVersion, kind } = body.manifest || {};
    if (!BUILT_IN_API_VERSIONS.test(String(apiVersion))) return { name, apiVersion, kind };
  }
  return undefined;
}

/**
 * A remote run in Terraform Cloud (execution mode remote) has only the workspace's variables:
 * without Azure dynamic credentials the azurerm provider finds no login (no `az` in the run), and
 * without TFE_TOKEN the tfe provider behind tfe_outputs has no token. The messages are the
 * providers' own.
 */
function remoteRunProblems(config, remote) {
  if (!remote.vars.TFC_AZURE_PROVIDER_AUTH && config.provider && config.provider.azurerm) {
    fail('building account: could not acquire access token to parse claims: clientCredentialsToken: received HTTP status 400\n\nError: building AzureRM Client: please ensure you have installed Azure CLI version 2.0.79 or newer. Error parsing json result from the Azure CLI: launching Azure CLI: exec: "az": executable file not found in $PATH.');
  }
  if (!remote.vars.TFE_TOKEN && config.data && config.data.tfe_outputs) {
    fail("Required token could not be found. Please set the token using an input variable in the provider configuration block or by using the TFE_TOKEN environment variable.");
  }
}

/** What Terraform does before it changes anything: reads variables and remote state, and asks the cluster for each manifest's kind. */
function evaluate(config, { interactive }) {
  const workspace = cloudWorkspace(config);
  const remote = workspace && readWorkspace(workspace.organization, workspace.name);
  const remoteRun = remote && remote.executionMode === "remote" ? remote : undefined;
  if (remoteRun) {
    interactive = false;
    remoteRunProblems(config, remoteRun);
  }
  const variables = missingVariables(config, remoteRun);
  if (variables.length > 0) {
    const [{ name, description }] = variables;
    if (interactive) {
      // Terraform asks on the terminal; the cdktf CLI recognises the prompt and fails the stack.
      process.stdout.write(`var.${name}\n  ${description}\n\n  Enter a value: `);
      process.exit(1);
    }
    fail(`No value for required variable\n\nThe root module input variable "${name}" is not set, and has no default value. Use a -var or -var-file command line argument or set a TF_VAR_${name} environment variable to provide a value for this variable.`);
  }
  const unreadable = unreadableOutputs(config);
  if (unreadable.length > 0) {
    const { source, output } = unreadable[0];
    fail(`Unsupported attribute\n\n  on cdk.tf.json: data.terraform_remote_state.${source}.outputs is object with no attribute "${output}"\n\nThis object does not have an attribute named "${output}".`);
  }
  const unserved = unservedKind(config);
  if (unserved) {
    fail(`Failed to determine GroupVersionResource for manifest\n\n  with kubernetes_manifest.${unserved.name}\n\nno matches for kind "${unserved.kind}" in group "${String(unserved.apiVersion).split("/")[0]}"`);
  }
}

/** Approval as Terraform asks for it, unless -auto-approve. */
function approve(args, question) {
  if (args.includes("-auto-approve")) return;
  process.stdout.write(`${question}\n  Terraform will perform the actions described above.\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
  const answer = Buffer.alloc(16);
  const read = fs.readSync(0, answer, 0, answer.length, null);
  if (answer.toString("utf8", 0, read).trim() !== "yes") fail("canceled");
}

function recordedOutputs(config) {
  const stack = path.basename(process.cwd());
  const deployment = stack.replace(KINDS, "");
  return Object.fromEntries(
    Object.entries(config.output || {}).map(([name, output]) => {
      const value = name in RECORDED ? RECORDED[name].replace(/\{deployment\}/g, deployment) : `recorded ${stack} ${name}`;
      return [name, { value, type: "string", sensitive: Boolean(output.sensitive) }];
    }),
  );
}

/**
 * The local backend's state lock, as Terraform takes it for a plan, apply or destroy: a second
 * run on the same state while one is going fails instead of writing over it.
 */
function lockState(file) {
  const lock = path.join(path.dirname(file), `.${path.basename(file)}.lock.info`);
  try {
    fs.closeSync(fs.openSync(lock, "wx"));
  } catch {
    fail(`Error acquiring the state lock\n\nLock Info:\n  Path: ${file}\n\nTerraform acquires a state lock to protect the state from being written by multiple users at the same time.`);
  }
  process.on("exit", () => fs.rmSync(lock, { force: true }));
}

/**
 * More calls than any runbook command makes means the calling CLI is looping (cdktf 0.21 does, for
 * a destroy of several stacks with --ignore-missing-stack-dependencies): it is stopped before its
 * terminals (one per call) run out for everyone on the machine.
 */
const RUNAWAY_CALLS = 200;

function stopRunawayCaller() {
  const logFile = process.env.RUNBOOK_LOG;
  if (!logFile || !fs.existsSync(logFile)) return;
  if (fs.readFileSync(logFile, "utf8").split("\n").length <= RUNAWAY_CALLS) return;
  process.stderr.write(`\nError: the stand-in was called more than ${RUNAWAY_CALLS} times by one command; stopping it\n`);
  process.kill(process.ppid, "SIGKILL");
  process.exit(1);
}

/**
 * `terraform init` with a `cloud` block: Terraform Cloud creates a missing workspace with the
 * organization's defaults (execution mode remote, no variables), as the cloud backend does.
 */
function init(config) {
  const workspace = cloudWorkspace(config);
  if (!workspace) {
    process.stdout.write("Terraform has been successfully initialized!\n");
    return;
  }
  if (!readWorkspace(workspace.organization, workspace.name)) {
    writeWorkspace(workspace.organization, workspace.name, { executionMode: "remote", vars: {}, outputs: {}, createdBy: "terraform init" });
  }
  process.stdout.write("HCP Terraform has been successfully initialized!\n");
}

/** The workspace a `${tfe_workspace.<id>.id}` reference of the bootstrap names. */
function referencedWorkspace(config, reference) {
  const match = /^\$\{tfe_workspace\.([^.]+)\.id\}$/.exec(reference || "");
  return match && config.resource.tfe_workspace[match[1]];
}

/**
 * An apply of the bootstrap stack creates its workspaces, their execution mode and the keys of
 * their variables; a workspace that exists already and that the bootstrap did not create fails
 * as the tfe provider does (its name is taken).
 */
function applyBootstrap(config) {
  const workspaces = (config.resource && config.resource.tfe_workspace) || {};
  if (Object.keys(workspaces).length === 0) return;
  const records = new Map();
  for (const body of Object.values(workspaces)) {
    const existing = readWorkspace(body.organization, body.name);
    if (existing && existing.createdBy !== "bootstrap") {
      fail(`Error creating workspace ${body.name} for organization ${body.organization}: invalid attribute\n\nName has already been taken`);
    }
    records.set(body.name, { ...(existing || { outputs: {} }), executionMode: "remote", vars: {}, createdBy: "bootstrap", organization: body.organization });
  }
  for (const settings of Object.values((config.resource && config.resource.tfe_workspace_settings) || {})) {
    const workspace = referencedWorkspace(config, settings.workspace_id);
    if (workspace) records.get(workspace.name).executionMode = settings.execution_mode;
  }
  for (const variable of Object.values((config.resource && config.resource.tfe_variable) || {})) {
    const workspace = referencedWorkspace(config, variable.workspace_id);
    if (workspace) records.get(workspace.name).vars[variable.key] = { category: variable.category, sensitive: Boolean(variable.sensitive) };
  }
  for (const [name, record] of records) {
    const existing = readWorkspace(record.organization, name);
    // Variables set since through the API (the operator key) stay.
    const kept = existing ? Object.fromEntries(Object.entries(existing.vars).filter(([, v]) => v.setBy === "api")) : {};
    writeWorkspace(record.organization, name, { ...record, vars: { ...kept, ...record.vars } });
  }
}

function main(args) {
  const [command] = args;
  stopRunawayCaller();
  log("start", args);
  const config = configuration();
  const workspace = cloudWorkspace(config);
  if (command === "init") {
    init(config);
    log("end", args);
    return;
  }
  if (command !== "output" && !workspace) lockState(statePath(config));
  const saveOutputs = (outputs) => {
    if (!workspace) return writeState(statePath(config), outputs);
    writeWorkspace(workspace.organization, workspace.name, { ...readWorkspace(workspace.organization, workspace.name), outputs });
  };
  switch (command) {
    case "plan":
      evaluate(config, { interactive: !args.includes("-input=false") });
      process.stdout.write("\nPlan: recorded changes.\n");
      break;
    case "apply":
      evaluate(config, { interactive: true });
      approve(args, "Do you want to perform these actions?");
      applyBootstrap(config);
      saveOutputs(recordedOutputs(config));
      process.stdout.write("\nApply complete!\n");
      break;
    case "destroy":
      evaluate(config, { interactive: true });
      approve(args, "Do you really want to destroy all resources?");
      saveOutputs({});
      process.stdout.write("\nDestroy complete!\n");
      break;
    case "output": {
      const outputs = workspace ? (readWorkspace(workspace.organization, workspace.name) || {}).outputs : readState(statePath(config)).outputs;
      process.stdout.write(`${JSON.stringify(outputs || {}, null, 2)}\n`);
      break;
    }
    default:
      fail(`the stand-in does not play "terraform ${args.join(" ")}"`);
  }
  log("end", args);
}

main(process.argv.slice(2));
