package io.pivotctl.storage;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns object-store failures into one line that names the problem and the fix. The SDK's own messages can carry
 * request details; nothing of them is passed on unscrubbed: no access key, secret, session token or signed URL.
 */
final class S3Errors {

    private static final Pattern SIGNED = Pattern.compile("(?i)(X-Amz-[A-Za-z-]+|Signature|Credential|AWSAccessKeyId|Security-Token)=[^&\\s,;\"']*");
    private static final Pattern KEY_ID = Pattern.compile("\\b(AKIA|ASIA)[A-Z0-9]{12,}\\b");

    private S3Errors() {
    }

    /** {@code action} says what was being done ("write archive s3://b/k"). */
    static PivotctlException describe(RuntimeException e, String action, S3Uri where) {
        if (e instanceof PivotctlException pe) {
            return pe;
        }
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            int status = s3.statusCode();
            if ("NoSuchBucket".equals(code)) {
                return PivotctlException.failed("cannot " + action + ": bucket " + where.bucket()
                        + " does not exist (create it, or check the location and AWS_ENDPOINT_URL)");
            }
            if ("NoSuchKey".equals(code) || (status == 404 && code == null)) {
                return PivotctlException.invalid("cannot " + action + ": " + where + " does not exist");
            }
            if (status == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code) || "AccessDenied".equals(code)) {
                return PivotctlException.failed("cannot " + action + ": the object store refused the credentials or the request ("
                        + (code == null ? "HTTP " + status : code) + "): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE,"
                        + " and the bucket policy");
            }
            return PivotctlException.failed("cannot " + action + ": the object store answered HTTP " + status + (code == null ? "" : " " + code));
        }
        if (e instanceof SdkClientException c && c.getMessage() != null && c.getMessage().contains("Unable to load credentials")) {
            return PivotctlException.failed("cannot " + action + ": no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                    + " or AWS_PROFILE with ~/.aws/credentials");
        }
        return new PivotctlException(Outcome.FAILED, "cannot " + action + ": " + scrub(firstLine(e)));
    }

    static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Removes signed-URL parameters, access key ids and the configured secrets from a message. */
    static String scrub(String message) {
        String out = SIGNED.matcher(message).replaceAll("$1=<redacted>");
        out = KEY_ID.matcher(out).replaceAll("<redacted>");
        for (String secret : configuredSecrets()) {
            if (secret.length() >= 4) {
                out = out.replace(secret, "<redacted>");
            }
        }
        return out;
    }

    private static List<String> configuredSecrets() {
        List<String> out = new ArrayList<>();
        S3Clients.setting("AWS_ACCESS_KEY_ID", "aws.accessKeyId").ifPresent(out::add);
        S3Clients.setting("AWS_SECRET_ACCESS_KEY", "aws.secretAccessKey").ifPresent(out::add);
        S3Clients.setting("AWS_SESSION_TOKEN", "aws.sessionToken").ifPresent(out::add);
        return out;
    }
}
