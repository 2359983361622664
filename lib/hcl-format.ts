import { spawnSync } from "child_process";
import * as path from "path";

/**
 * Rewrites the synthesized `cdk.tf` files of `cdktf synth --hcl` in `terraform fmt`'s canonical
 * form. cdktf writes every reference as an interpolation (`"${azurerm_subnet.aks.id}"`), which
 * `terraform fmt` and `terraform fmt -check` rewrite, so a review diff or a formatting gate would
 * flag every line. Terraform is needed to deploy anyway; without it the files stay as cdktf wrote
 * them (valid HCL), with a warning. A file Terraform cannot parse is a bug here: it stops synthesis.
 */
export function formatHcl(outdir: string): void {
  const result = spawnSync("terraform", ["fmt", "-recursive", "-list=false", "-no-color", path.join(outdir, "stacks")], { encoding: "utf8" });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    process.stderr.write("warning: terraform is not on PATH, so the cdk.tf files are left as cdktf writes them (valid, but not in terraform fmt's form)\n");
    return;
  }
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`terraform fmt could not read the synthesized HCL:\n${result.stderr}`);
}
