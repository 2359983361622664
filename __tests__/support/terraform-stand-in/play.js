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

/** The local state file of the stack, as its backend names it. */
function statePath(config) {
  const local = config.terraform && config.terraform.backend && config.terraform.backend.local;
  if (!local) fail("the stand-in plays the local backend only");
  return path.resolve(local.path);
}

function readState(file) {
  return fs.existsSync(file) ? readJson(file) : { version: 4, terraform_version: TERRAFORM_VERSION, serial: 0, outputs: {}, resources: [] };
}

function writeState(file, outputs) {
  const state = readState(file);
  fs.writeFileSync(file, JSON.stringify({ ...state, serial: state.serial + 1, outputs }, null, 2));
}

/** Required variables without a value in the environment. */
function missingVariables(config) {
  return Object.entries(config.variable || {})
    .filter(([name, variable]) => !("default" in variable) && process.env[`TF_VAR_${name}`] === undefined)
    .map(([name, variable]) => ({ name, description: variable.description || "" }));
}

/** Outputs this stack reads from other stacks' state that are not there. */
function unreadableOutputs(config) {
  const text = JSON.stringify(config);
  const sources = (config.data && config.data.terraform_remote_state) || {};
  const missing = [];
  for (const [name, source] of Object.entries(sources)) {
    if (source.backend !== "local") fail("the stand-in plays local remote state only");
    const outputs = readState(path.resolve(source.config.path)).outputs || {};
    const pattern = new RegExp(`data\\.terraform_remote_state\\.${name}\\.outputs\\.([A-Za-z0-9_-]+)`, "g");
    for (const [, output] of text.matchAll(pattern)) if (!(output in outputs)) missing.push({ source: name, output });
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

/** What Terraform does before it changes anything: reads variables and remote state, and asks the cluster for each manifest's kind. */
function evaluate(config, { interactive }) {
  const variables = missingVariables(config);
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

function main(args) {
  const [command] = args;
  stopRunawayCaller();
  log("start", args);
  const config = configuration();
  if (command !== "output") lockState(statePath(config));
  switch (command) {
    case "plan":
      evaluate(config, { interactive: !args.includes("-input=false") });
      process.stdout.write("\nPlan: recorded changes.\n");
      break;
    case "apply":
      evaluate(config, { interactive: true });
      approve(args, "Do you want to perform these actions?");
      writeState(statePath(config), recordedOutputs(config));
      process.stdout.write("\nApply complete!\n");
      break;
    case "destroy":
      evaluate(config, { interactive: true });
      approve(args, "Do you really want to destroy all resources?");
      writeState(statePath(config), {});
      process.stdout.write("\nDestroy complete!\n");
      break;
    case "output":
      process.stdout.write(`${JSON.stringify(readState(statePath(config)).outputs || {}, null, 2)}\n`);
      break;
    default:
      fail(`the stand-in does not play "terraform ${args.join(" ")}"`);
  }
  log("end", args);
}

main(process.argv.slice(2));
