package io.augur.ops.coverage;

import io.augur.schema.CoverageMode;
import io.augur.schema.CoverageSettings;
import io.augur.schema.ResourceMembership;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * DevOps Guru's coverage rules over Augur's knowledge of a resource (its account, stack and tags): whether the resource
 * is analysed, and which application it belongs to.
 * <ul>
 *   <li>{@code ACCOUNT}: every resource of the accounts (all accounts when none are listed). Within the account a
 *       resource's application is its {@code devops-guru-*} tag value when it has one, else its stack, else the
 *       account itself, so that unrelated applications' problems do not merge into one insight;</li>
 *   <li>{@code STACKS}: resources of the listed CloudFormation stacks ({@code *}: of any stack); the application is
 *       the stack;</li>
 *   <li>{@code TAGS}: resources carrying the application boundary key (which starts with {@code devops-guru-}, in any
 *       case, and is matched case-sensitively) with one of the listed values (any value when none or {@code *}); the
 *       application is the tag value.</li>
 * </ul>
 * Pure logic: no Flink, no AWS.
 */
public final class Coverage {
    public static final String TAG_PREFIX = "devops-guru-";
    public static final String ANY = "*";

    /** The application a covered resource belongs to. {@code tagKey} is set when the application is a tag value. */
    public record Application(String name, String stackName, String tagKey) {}

    private final CoverageSettings settings;

    public Coverage(CoverageSettings settings) {
        this.settings = validate(settings);
    }

    public CoverageSettings settings() {
        return settings;
    }

    /** Whether coverage depends on a resource's stack or tags (ACCOUNT mode needs them only to name applications). */
    public boolean needsMembership() {
        return settings.getMode() != CoverageMode.ACCOUNT;
    }

    /** Whether the account is analysed at all. */
    public boolean coversAccount(String accountId) {
        List<String> accounts = settings.getAccounts();
        return accounts.isEmpty() || accounts.contains(accountId);
    }

    /**
     * The application of a resource, or null when it is not covered. {@code membership} may be null (nothing known).
     * A CloudFormation stack is a member of itself.
     */
    public Application applicationOf(String accountId, String arn, ResourceMembership membership) {
        if (!coversAccount(accountId)) return null;
        String stack = membership == null ? null : membership.getStackName();
        if (stack == null) stack = stackOfStackArn(arn);
        Map<String, String> tags = membership == null ? Map.of() : membership.getTags();
        switch (settings.getMode()) {
            case STACKS: {
                if (stack == null) return null;
                List<String> stacks = settings.getStackNames();
                return stacks.contains(ANY) || stacks.contains(stack) ? new Application(stack, stack, null) : null;
            }
            case TAGS: {
                String key = settings.getTagKey();
                String value = tags.get(key);
                if (value == null) return null;
                List<String> values = settings.getTagValues();
                return values.isEmpty() || values.contains(ANY) || values.contains(value) ? new Application(value, stack, key) : null;
            }
            default: {
                Map.Entry<String, String> boundary = boundaryTag(tags);
                if (boundary != null) return new Application(boundary.getValue(), stack, boundary.getKey());
                if (stack != null) return new Application(stack, stack, null);
                return new Application(accountId, null, null);
            }
        }
    }

    /** The first (by key) tag whose key starts with devops-guru- in any case and has a value. */
    static Map.Entry<String, String> boundaryTag(Map<String, String> tags) {
        if (tags.isEmpty()) return null;
        for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
            if (isBoundaryKey(t.getKey()) && !t.getValue().isEmpty()) return t;
        }
        return null;
    }

    public static boolean isBoundaryKey(String key) {
        return key.length() > TAG_PREFIX.length() && key.regionMatches(true, 0, TAG_PREFIX, 0, TAG_PREFIX.length());
    }

    /** arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/… → NAME, else null. */
    public static String stackOfStackArn(String arn) {
        if (arn == null || !arn.startsWith("arn:")) return null;
        String[] p = arn.split(":", 6);
        if (p.length < 6 || !"cloudformation".equals(p[2]) || !p[5].startsWith("stack/")) return null;
        String[] r = p[5].split("/");
        return r.length >= 2 ? r[1] : null;
    }

    /** Checks the settings' consistency; the message names the fix. */
    public static CoverageSettings validate(CoverageSettings s) {
        switch (s.getMode()) {
            case STACKS:
                if (s.getStackNames().isEmpty()) {
                    throw new IllegalArgumentException("coverage by stacks names no stack: list stack names (or * for every stack)");
                }
                break;
            case TAGS:
                if (s.getTagKey() == null || !isBoundaryKey(s.getTagKey())) {
                    throw new IllegalArgumentException("coverage by tags needs a tag key starting with devops-guru- (any case), got '"
                            + s.getTagKey() + "'");
                }
                break;
            default:
                break;
        }
        return s;
    }
}
