package io.augur.ops.anomaly;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which resources a CodeDeploy deployment group deploys to ({@code anomaly.deployment.targets}). CodeDeploy's
 * deployment events name the deployment group only (instance events also name the instance), so the resources of a
 * Lambda or ECS deployment come from configuration: entries separated by {@code ;}, each
 * {@code <application>/<deployment group>=<resource ARN>[,<resource ARN>...]}.
 */
public final class DeploymentTargets implements Serializable {
    private static final String GROUP_MARK = ":deploymentgroup:";
    private final Map<String, List<String>> targets;

    private DeploymentTargets(Map<String, List<String>> targets) {
        this.targets = targets;
    }

    public static DeploymentTargets none() {
        return new DeploymentTargets(new TreeMap<>());
    }

    public static DeploymentTargets parse(String spec) {
        Map<String, List<String>> out = new TreeMap<>();
        if (spec == null) return new DeploymentTargets(out);
        for (String raw : spec.split("[;\\n]")) {
            String e = raw.strip();
            if (e.isEmpty()) continue;
            int eq = e.indexOf('=');
            String group = eq < 0 ? "" : e.substring(0, eq).strip();
            if (eq < 0 || !group.contains("/")) {
                throw new IllegalArgumentException("deployment target '" + e + "' is not <application>/<deployment group>=<resource ARN>[,<resource ARN>...]");
            }
            List<String> arns = new ArrayList<>();
            for (String a : e.substring(eq + 1).split(",")) {
                String arn = a.strip();
                if (!arn.startsWith("arn:")) throw new IllegalArgumentException("deployment target '" + e + "': '" + arn + "' is not an ARN");
                arns.add(arn);
            }
            out.computeIfAbsent(group, k -> new ArrayList<>()).addAll(arns);
        }
        return new DeploymentTargets(out);
    }

    /** The resources a deployment group ARN ({@code arn:aws:codedeploy:…:deploymentgroup:app/group}) deploys to. */
    public List<String> targetsOf(String deploymentGroupArn) {
        int i = deploymentGroupArn.indexOf(GROUP_MARK);
        if (i < 0) return List.of();
        return targets.getOrDefault(deploymentGroupArn.substring(i + GROUP_MARK.length()), List.of());
    }
}
