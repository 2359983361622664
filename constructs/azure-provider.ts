import { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";

/**
 * Resource providers the stacks use. The provider registers exactly these instead of its large
 * default set (`resource_provider_registrations = "none"`), which needs fewer permissions;
 * `Microsoft.ContainerInstance` is the guide's `az provider register` step. The monitoring
 * stack's: `Microsoft.Monitor` (Azure Monitor workspace), `Microsoft.Insights` (collection
 * endpoint and rule, action group, metric alert, Application Insights and its test),
 * `Microsoft.AlertsManagement` (Prometheus rule groups), `Microsoft.OperationalInsights` (Log
 * Analytics).
 */
export const RESOURCE_PROVIDERS = [
  "Microsoft.AlertsManagement",
  "Microsoft.Compute",
  "Microsoft.ContainerInstance",
  "Microsoft.ContainerService",
  "Microsoft.Insights",
  "Microsoft.KeyVault",
  "Microsoft.ManagedIdentity",
  "Microsoft.Monitor",
  "Microsoft.Network",
  "Microsoft.OperationalInsights",
] as const;

/** The azurerm provider, configured the same way in every stack. */
export class AzureProvider extends Construct {
  readonly provider: AzurermProvider;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.provider = new AzurermProvider(this, "azurerm", {
      features: [
        {
          // A soft-deleted vault of the same name is recovered rather than failing the create;
          // nothing is ever purged (purge protection is on anyway).
          keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
        },
      ],
      resourceProviderRegistrations: "none",
      resourceProvidersToRegister: [...RESOURCE_PROVIDERS],
    });
  }
}
