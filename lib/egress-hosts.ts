/**
 * Where the operator must reach over HTTPS (443) when outbound traffic is restricted, by host
 * name, not by IP address (their addresses change). Source: the UID2 page "Private Operator
 * network egress", linked from the guide's revision of 2026-07-29 after the NAT step (facts.md,
 * "The guide").
 */
import type { Environment } from "./config/types";

export const EGRESS_PORT = 443;

export const EGRESS_HOSTS: Readonly<Record<Environment, readonly string[]>> = {
  integ: [
    "core-integ.uidapi.com",
    "optout-integ.uidapi.com",
    "uid2-core-integ-store.s3.us-east-2.amazonaws.com",
    "uid2-optout-integ-store.s3.us-east-2.amazonaws.com",
  ],
  prod: [
    "core-prod.uidapi.com",
    "optout-prod.uidapi.com",
    "uid2-core-prod-store.s3.us-east-2.amazonaws.com",
    "uid2-core-prod-store-replica.s3.us-west-2.amazonaws.com",
    "uid2-optout-prod-store.s3.us-east-2.amazonaws.com",
    "uid2-optout-prod-store-replica.s3.us-west-2.amazonaws.com",
  ],
};
