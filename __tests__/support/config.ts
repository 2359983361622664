/** Builds validated configurations for tests, the same way the app does. */
import { resolveConfig } from "../../lib/config/load";
import { ConfigError } from "../../lib/config/problems";
import type { DeploymentConfig } from "../../lib/config/types";

export type Json = Record<string, unknown>;

/** A minimal deployment entry, with `overrides` merged over it. */
export function entry(overrides: Json = {}): Json {
  return { name: "integ", environment: "integ", location: "eastus", ...overrides };
}

/** Resolves one deployment (throws ConfigError when invalid). */
export function deployment(overrides: Json = {}, defaults?: Json): DeploymentConfig {
  return resolveConfig({ ...(defaults ? { defaults } : {}), deployments: [entry(overrides)] }, "test.json").deployments[0];
}

/** The problems a configuration file's content produces; [] when it is valid. */
export function problemsOf(file: unknown): readonly string[] {
  try {
    resolveConfig(file, "test.json");
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** The problems of a file with one deployment built from `overrides`. */
export function problemsOfDeployment(overrides: Json, defaults?: Json): readonly string[] {
  return problemsOf({ ...(defaults ? { defaults } : {}), deployments: [entry(overrides)] });
}
