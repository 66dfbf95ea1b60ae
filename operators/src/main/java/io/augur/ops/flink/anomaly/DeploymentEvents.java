package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.DeploymentTargets;
import io.augur.schema.ChangeEvent;
import io.augur.schema.EventDataSource;
import io.augur.schema.Resource;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import java.util.List;

/**
 * CodeDeploy state changes, one copy per resource they concern (its only resource), to be keyed by resource ARN: the
 * resources an event names itself (an instance), and the configured targets of the deployment group it names.
 */
public class DeploymentEvents implements FlatMapFunction<ChangeEvent, ChangeEvent> {
    static final String DEPLOYMENT_GROUP = "AWS::CodeDeploy::DeploymentGroup";
    private final DeploymentTargets targets;

    public DeploymentEvents(DeploymentTargets targets) {
        this.targets = targets;
    }

    @Override
    public void flatMap(ChangeEvent e, Collector<ChangeEvent> out) {
        if (e.getDataSource() != EventDataSource.AWS_CODE_DEPLOY) return;
        for (Resource r : e.getResources()) {
            if (DEPLOYMENT_GROUP.equals(r.getType())) {
                for (String arn : targets.targetsOf(r.getArn())) {
                    out.collect(ChangeEvent.newBuilder(e).setResources(List.of(Resource.newBuilder().setType("").setName("").setArn(arn).build())).build());
                }
            } else {
                out.collect(ChangeEvent.newBuilder(e).setResources(List.of(r)).build());
            }
        }
    }

    /** The key of a per-resource copy. */
    public static String resourceArn(ChangeEvent e) {
        return e.getResources().get(0).getArn();
    }
}
