package io.pivotctl.storage;

import io.pivotctl.PivotctlException;

/** {@code s3://BUCKET/KEY-OR-PREFIX}. */
public record S3Uri(String bucket, String key) {

    static final String SCHEME = "s3://";

    public static boolean isS3(String text) {
        return text.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    public static S3Uri parse(String text) {
        String rest = text.substring(SCHEME.length());
        if (rest.contains("?") || rest.contains("@")) {
            // a pre-signed URL or credentials pasted into the location must not be echoed
            throw PivotctlException.usage("an s3:// location takes no query string or user part; credentials come from the AWS environment");
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty() || !bucket.matches("[a-z0-9][a-z0-9.\\-_]{1,254}")) {
            throw PivotctlException.usage("'" + text + "' is not a valid S3 location: want s3://BUCKET/KEY with a lower-case bucket name");
        }
        return new S3Uri(bucket, key);
    }

    public S3Uri child(String name) {
        return new S3Uri(bucket, key + name);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
