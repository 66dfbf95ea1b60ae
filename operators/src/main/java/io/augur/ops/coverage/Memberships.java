package io.augur.ops.coverage;

import io.augur.schema.ChangeEvent;
import io.augur.schema.ResourceMembership;

import java.util.LinkedHashMap;
import java.util.Map;

/** How what a change event or an API listing says about a resource updates Augur's knowledge of its membership. */
public final class Memberships {
    private Memberships() {}

    /** Whether a change event says anything about membership (tags set or removed, a stack). */
    public static boolean saysSomething(ChangeEvent e) {
        return !e.getTags().isEmpty() || !e.getRemovedTagKeys().isEmpty() || e.getStackName() != null || leavesStack(e);
    }

    /** A CloudFormation DELETE_COMPLETE of a resource: it has left its stack. */
    static boolean leavesStack(ChangeEvent e) {
        return "cloudformation.amazonaws.com".equals(e.getEventSource()) && e.getName().endsWith("DELETE_COMPLETE");
    }

    /** The membership after the change event; {@code current} may be null. Failed calls change nothing. */
    public static ResourceMembership apply(ResourceMembership current, String arn, ChangeEvent e) {
        if (e.getErrorCode() != null || !saysSomething(e)) return current;
        Map<String, String> tags = new LinkedHashMap<>(current == null ? Map.of() : current.getTags());
        tags.putAll(e.getTags());
        for (String k : e.getRemovedTagKeys()) tags.remove(k);
        String stack = current == null ? null : current.getStackName();
        if (e.getStackName() != null) stack = e.getStackName();
        if (leavesStack(e)) stack = null;
        return ResourceMembership.newBuilder().setArn(arn).setStackName(stack).setTags(tags).setReplaceTags(false)
                .setTime(e.getTime()).setOrigin(e.getName()).build();
    }

    /** The membership after an API listing: a listing's tags replace the known ones; its stack, when named, wins. */
    public static ResourceMembership apply(ResourceMembership current, ResourceMembership update) {
        Map<String, String> tags = new LinkedHashMap<>(current == null || update.getReplaceTags() ? Map.of() : current.getTags());
        tags.putAll(update.getTags());
        String stack = update.getStackName() != null ? update.getStackName() : current == null ? null : current.getStackName();
        if (stack == null) stack = tags.get(io.augur.ops.parse.events.CloudTrailTags.STACK_NAME_TAG);
        return ResourceMembership.newBuilder().setArn(update.getArn()).setStackName(stack).setTags(tags).setReplaceTags(false)
                .setTime(update.getTime()).setOrigin(update.getOrigin()).build();
    }

    public static ResourceMembership listing(String arn, String stack, Map<String, String> tags, boolean replaceTags, long time, String origin) {
        return ResourceMembership.newBuilder().setArn(arn).setStackName(stack).setTags(new LinkedHashMap<>(tags))
                .setReplaceTags(replaceTags).setTime(time).setOrigin(origin).build();
    }
}
