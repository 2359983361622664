/**
 * State backends: the `terraform` block of every stack, and the reads of another stack's outputs
 * from that stack's real state location.
 */
import { deployment } from "./support/config";
import { appWith, synthOf } from "./support/synth";

const CLOUD = { type: "cloud", organization: "acme", workspacePrefix: "uid2-", hostname: "tfe.example.com", project: "uid2" };
const AZURERM = { type: "azurerm", resourceGroupName: "rg-tfstate", storageAccountName: "acmetfstate", containerName: "tfstate" };

describe("local backend (default)", () => {
  const app = appWith(deployment());

  it("keeps each stack's state at the project root, by a relative path", () => {
    for (const stack of ["integ-network", "integ-cluster", "integ-secrets"]) {
      expect(synthOf(app, stack).json.terraform.backend).toEqual({ local: { path: `../../../terraform.${stack}.tfstate` } });
    }
  });

  it("reads the network stack's outputs from its state file", () => {
    // GIVEN the cluster stack WHEN synthesized THEN it reads the network's local state file
    const { json } = synthOf(app, "integ-cluster");
    expect(json.data!.terraform_remote_state).toEqual({
      "cross-stack-reference-input-integ-network": {
        backend: "local",
        config: { path: "../../../terraform.integ-network.tfstate" },
        workspace: "${terraform.workspace}",
      },
    });
  });
});

describe("Terraform Cloud backend", () => {
  const app = appWith(deployment({ backend: CLOUD }));

  it("writes a cloud block with one named workspace per stack", () => {
    for (const stack of ["integ-network", "integ-cluster", "integ-secrets"]) {
      expect(synthOf(app, stack).json.terraform.cloud).toEqual({
        organization: "acme",
        hostname: "tfe.example.com",
        workspaces: { name: `uid2-${stack}`, project: "uid2" },
      });
      expect(synthOf(app, stack).json.terraform.backend).toBeUndefined();
    }
  });

  it("reads other stacks' outputs with tfe_outputs from their workspace, not terraform_remote_state", () => {
    const { json } = synthOf(app, "integ-secrets");
    expect(json.data!.terraform_remote_state).toBeUndefined();
    expect(json.data!.tfe_outputs).toEqual({
      "cross-stack-reference-input-integ-network": { organization: "acme", workspace: "uid2-integ-network" },
    });
    expect(json.terraform.required_providers.tfe).toEqual({ source: "hashicorp/tfe", version: "0.71.0" });
    expect(json.provider!.tfe).toEqual([{ hostname: "tfe.example.com" }]);
    // AND every value taken from the network stack comes through tfe_outputs' values
    const vault = Object.values(json.resource!.azurerm_key_vault)[0];
    expect(vault.resource_group_name).toMatch(/^\$\{data\.tfe_outputs\.cross-stack-reference-input-integ-network\.values\.cross-stack-output-[\w-]+\}$/);
  });

  it("leaves the network stack, which reads nothing, without the tfe provider", () => {
    const { json } = synthOf(app, "integ-network");
    expect(json.terraform.required_providers.tfe).toBeUndefined();
    expect(json.data?.tfe_outputs).toBeUndefined();
  });

  it("names workspaces by stack id alone without a prefix, on app.terraform.io by default", () => {
    const { json } = synthOf(appWith(deployment({ backend: { type: "cloud", organization: "acme" } })), "integ-cluster");
    expect(json.terraform.cloud).toEqual({ organization: "acme", hostname: "app.terraform.io", workspaces: { name: "integ-cluster" } });
  });
});

describe("azurerm backend", () => {
  const app = appWith(deployment({ backend: AZURERM }));

  it("keeps each stack's state under the key <stack>.tfstate with Azure AD auth", () => {
    for (const stack of ["integ-network", "integ-cluster", "integ-secrets"]) {
      expect(synthOf(app, stack).json.terraform.backend).toEqual({
        azurerm: {
          resource_group_name: "rg-tfstate",
          storage_account_name: "acmetfstate",
          container_name: "tfstate",
          key: `${stack}.tfstate`,
          use_azuread_auth: true,
        },
      });
    }
  });

  it("reads the network stack's outputs from the same storage account under its key", () => {
    const { json } = synthOf(app, "integ-cluster");
    expect(json.data!.terraform_remote_state["cross-stack-reference-input-integ-network"]).toEqual({
      backend: "azurerm",
      config: {
        resource_group_name: "rg-tfstate",
        storage_account_name: "acmetfstate",
        container_name: "tfstate",
        key: "integ-network.tfstate",
        use_azuread_auth: true,
      },
      workspace: "${terraform.workspace}",
    });
  });

  it("passes the state's subscription when it is another one", () => {
    const subscriptionId = "00000000-1111-2222-3333-444444444444";
    const { json } = synthOf(appWith(deployment({ backend: { ...AZURERM, subscriptionId } })), "integ-network");
    expect(json.terraform.backend.azurerm.subscription_id).toBe(subscriptionId);
  });
});
