package io.pivotctl.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** No key, secret or signed URL survives into a message; store errors become one line with the fix. */
class S3ErrorsTest {

    static final S3Uri WHERE = new S3Uri("backups", "mgmt/a.tar.gz");

    @AfterEach
    void clear() {
        System.clearProperty("aws.secretAccessKey");
        System.clearProperty("aws.accessKeyId");
    }

    @Test
    void signedUrlParametersAndKeyIdsAreRedacted() {
        String scrubbed = S3Errors.scrub("GET https://s3.example.com/backups/a.tar.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261125&X-Amz-Signature=0123abcd&Signature=zzz failed");
        assertFalse(scrubbed.contains("AKIAIOSFODNN7EXAMPLE") || scrubbed.contains("0123abcd") || scrubbed.contains("zzz"), scrubbed);
        assertTrue(scrubbed.contains("X-Amz-Signature=<redacted>"), scrubbed);
        assertEquals("key <redacted> denied", S3Errors.scrub("key ASIAQWERTYUIOPASDFGH denied"));
    }

    @Test
    void theConfiguredSecretNeverAppearsEvenInAnUnexpectedMessage() {
        System.setProperty("aws.secretAccessKey", "s3cr3t-value-xyz");
        System.setProperty("aws.accessKeyId", "my-access-id");
        PivotctlException e = S3Errors.describe(SdkClientException.create("proxy said: bad auth s3cr3t-value-xyz for my-access-id\nmore"),
                "write archive " + WHERE, WHERE);
        assertEquals("cannot write archive s3://backups/mgmt/a.tar.gz: proxy said: bad auth <redacted> for <redacted>", e.getMessage());
    }

    @Test
    void storeErrorsNameTheProblemAndTheFix() {
        PivotctlException bucket = S3Errors.describe(s3Error(404, "NoSuchBucket"), "list " + WHERE, WHERE);
        assertEquals("cannot list s3://backups/mgmt/a.tar.gz: bucket backups does not exist (create it, or check the location and"
                + " AWS_ENDPOINT_URL)", bucket.getMessage());
        assertEquals(Outcome.FAILED, bucket.outcome());
        PivotctlException key = S3Errors.describe(s3Error(404, "NoSuchKey"), "read archive " + WHERE, WHERE);
        assertEquals(Outcome.INVALID, key.outcome(), "a missing archive is like a missing file");
        PivotctlException denied = S3Errors.describe(s3Error(403, "InvalidAccessKeyId"), "read archive " + WHERE, WHERE);
        assertTrue(denied.getMessage().contains("(InvalidAccessKeyId): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE"),
                denied.getMessage());
        PivotctlException none = S3Errors.describe(SdkClientException.create("Unable to load credentials from any of the providers in the chain"
                + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), ...])"), "list " + WHERE, WHERE);
        assertEquals("cannot list s3://backups/mgmt/a.tar.gz: no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                + " or AWS_PROFILE with ~/.aws/credentials", none.getMessage());
    }

    private static S3Exception s3Error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("details").build()).build();
    }
}
