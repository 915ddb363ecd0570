package io.pivotctl.testing;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for the tests: S3Proxy on loopback over jclouds' transient (in-memory) store, with AWS
 * signature checking on (v2 or v4, one identity). {@link #useForCli()} points in-process pivotctl at it through the
 * SDK's documented system properties, the same chain that reads AWS_* variables in production.
 */
public final class S3Server implements AutoCloseable {

    public static final String IDENTITY = "pivotctl-test-access";
    public static final String CREDENTIAL = "pivotctl-test-secret-0123456789";

    private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.region", "aws.endpointUrl",
            "aws.s3ForcePathStyle");

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final Map<String, String> saved = new HashMap<>();

    private S3Server(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    public static S3Server start() throws Exception {
        Properties props = new Properties();
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").overrides(props)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(20);
        }
        return new S3Server(proxy, context);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** An admin client of the test's own (not pivotctl's), to create buckets and look at what is stored. */
    public S3Client client() {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public void createBucket(String bucket) {
        try (S3Client s3 = client()) {
            s3.createBucket(r -> r.bucket(bucket));
        }
    }

    public List<S3Object> objects(String bucket) {
        try (S3Client s3 = client()) {
            return s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().toList();
        }
    }

    public int incompleteUploads(String bucket) {
        try (S3Client s3 = client()) {
            return s3.listMultipartUploads(r -> r.bucket(bucket)).uploads().size();
        }
    }

    /** Configures in-process pivotctl for this server; {@link #close()} restores what was there. */
    public S3Server useForCli() {
        for (String p : PROPERTIES) {
            saved.put(p, System.getProperty(p));
        }
        System.setProperty("aws.accessKeyId", IDENTITY);
        System.setProperty("aws.secretAccessKey", CREDENTIAL);
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.endpointUrl", endpoint().toString());
        return this;
    }

    @Override
    public void close() throws Exception {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        proxy.stop();
        context.close();
    }
}
