package io.pivotctl.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the S3 client from the standard AWS configuration, never from the command line: credentials from the
 * default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE with ~/.aws/credentials, web identity,
 * container and instance roles), AWS_REGION (default us-east-1), AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3) for
 * S3-compatible stores, and AWS_S3_FORCE_PATH_STYLE. Each variable may also be given as the JVM system property
 * the SDK documents (aws.region, aws.endpointUrl, ...), which is how in-process tests configure it.
 */
public final class S3Clients {

    private S3Clients() {
    }

    /** What decides how the client talks to the store; credentials are not part of it (the SDK chain resolves them). */
    public record Settings(Optional<URI> endpoint, Region region, boolean pathStyle) {
    }

    public static Settings settings() {
        Optional<URI> endpoint = setting("AWS_ENDPOINT_URL_S3", "aws.endpointUrlS3").or(() -> setting("AWS_ENDPOINT_URL", "aws.endpointUrl"))
                .map(URI::create);
        Region region = setting("AWS_REGION", "aws.region").map(Region::of).orElseGet(S3Clients::regionFromChain);
        // on-premises stores (MinIO, Ceph RGW, S3Proxy) rarely have wildcard DNS for virtual-hosted buckets:
        // path style is the default with a custom endpoint, and can be forced either way
        boolean pathStyle = setting("AWS_S3_FORCE_PATH_STYLE", "aws.s3ForcePathStyle").map(v -> v.trim().toLowerCase(Locale.ROOT))
                .map(v -> v.equals("true") || v.equals("1") || v.equals("yes")).orElse(endpoint.isPresent());
        return new Settings(endpoint, region, pathStyle);
    }

    public static S3Client create() {
        Settings s = settings();
        var builder = S3Client.builder()
                .region(s.region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(120)))
                // many S3-compatible stores answer NotImplemented to the SDK's default CRC32 flexible checksums;
                // integrity comes from Content-MD5 on every part instead (see MultipartUploadStream)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .forcePathStyle(s.pathStyle());
        s.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static Region regionFromChain() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException none) {
            return Region.US_EAST_1; // S3-compatible stores mostly ignore the region, but SigV4 needs one
        }
    }

    static Optional<String> setting(String env, String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }
}
