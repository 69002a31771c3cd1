/**
 * What `provision` tells its user: the plan (dry run) or what it created, updated and found
 * already in place, the config values it wrote, and warnings. Never a token or a secret: the
 * only identifiers printed are the API identifier, the (public) client id and resource ids.
 */
import pc from "picocolors";

export type ResourceKind =
  | "api"
  | "application"
  | "action"
  | "binding"
  | "connection"
  | "mfa"
  | "role"
  | "admin";

export type Change = "create" | "update" | "keep";

export interface StepReport {
  kind: ResourceKind;
  /** Display name, such as `API "Amplication API"`. */
  name: string;
  change: Change;
  /** What exactly is (or was) done, or why it is kept. */
  details: string[];
  /** Auth0 id of the resource, when known. */
  id?: string;
  /** True once the change was made (always false in a dry run). */
  done: boolean;
}

export interface ConfigChange {
  path: string;
  from: string | undefined;
  to: string;
}

export interface ProvisionResult {
  dryRun: boolean;
  /** Tenant domain the Management API was called on. */
  tenant: string;
  configFile: string;
  steps: StepReport[];
  warnings: string[];
  notes: string[];
  /** Config values provisioning produced; written unless dryRun. */
  configChanges: ConfigChange[];
  configWritten: boolean;
}

/** Provisioning stopped; `steps` says what had been changed before it did. */
export class ProvisionError extends Error {
  override name = "ProvisionError";
  constructor(
    message: string,
    readonly steps: StepReport[] = [],
  ) {
    super(message);
  }
}

const KIND_LABEL: Record<ResourceKind, string> = {
  api: "API",
  application: "application",
  action: "Action",
  binding: "binding",
  connection: "connection",
  mfa: "MFA",
  role: "role",
  admin: "administrator",
};

export function describeStep(step: StepReport): string {
  return `${KIND_LABEL[step.kind]} ${step.name}${step.id ? ` (${step.id})` : ""}${
    step.details.length > 0 ? `: ${step.details.join("; ")}` : ""
  }`;
}

export function summary(result: ProvisionResult, color: boolean): string {
  const c = color ? pc : plain;
  const lines: string[] = [];
  if (result.dryRun) {
    lines.push(
      `${c.bold("provision --dry-run")} on ${result.tenant}: the plan (nothing was changed)`,
    );
    for (const step of result.steps)
      lines.push(
        `  ${paint(c, step.change)(step.change.padEnd(6))} ${describeStep(step)}`,
      );
  } else {
    lines.push(`${c.bold("provision")} on ${result.tenant}`);
    const groups: [Change, string][] = [
      ["create", "created"],
      ["update", "updated"],
      ["keep", "already in place"],
    ];
    for (const [change, heading] of groups) {
      const steps = result.steps.filter((s) => s.change === change);
      if (steps.length === 0) continue;
      lines.push(`${paint(c, change)(heading)}:`);
      for (const step of steps) lines.push(`  ${describeStep(step)}`);
    }
  }
  for (const note of result.notes) lines.push(`${c.dim("note")} ${note}`);
  for (const warning of result.warnings)
    lines.push(`${c.yellow("warning")} ${warning}`);
  if (result.configChanges.length > 0) {
    lines.push(
      `${result.configWritten ? "wrote" : "would write"} ${result.configFile}:`,
    );
    for (const change of result.configChanges)
      lines.push(
        `  ${change.path} = ${JSON.stringify(change.to)}${
          change.from === undefined
            ? ""
            : ` (was ${JSON.stringify(change.from)})`
        }`,
      );
  } else if (!result.dryRun) {
    lines.push(`${result.configFile} already holds these values`);
  }
  if (!result.dryRun)
    lines.push(
      `next: amplication-auth0 apply --dry-run (then apply) to convert the app for this tenant`,
    );
  return lines.join("\n");
}

export function toJson(result: ProvisionResult): string {
  return JSON.stringify(
    {
      command: "provision",
      dryRun: result.dryRun,
      tenant: result.tenant,
      steps: result.steps.map((step) => ({
        kind: step.kind,
        name: step.name,
        change: step.change,
        done: step.done,
        id: step.id ?? null,
        details: step.details,
      })),
      warnings: result.warnings,
      notes: result.notes,
      config: {
        file: result.configFile,
        written: result.configWritten,
        changes: result.configChanges.map((change) => ({
          path: change.path,
          from: change.from ?? null,
          to: change.to,
        })),
      },
      exitCode: 0,
    },
    null,
    2,
  );
}

type Painter = (text: string) => string;
const identity: Painter = (text) => text;
const plain = {
  bold: identity,
  dim: identity,
  yellow: identity,
  green: identity,
  cyan: identity,
};

function paint(c: typeof plain, change: Change): Painter {
  return change === "create" ? c.green : change === "update" ? c.yellow : c.dim;
}
