package io.augur.job.sink.notify;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;

/**
 * Builds the AWS SDK v2 async clients of the notification sinks: Netty HTTP client, region, optional endpoint
 * override, the configured credentials, and the SDK's standard retry strategy (exponential backoff with jitter on
 * throttling, 5xx and I/O errors) with per-attempt and per-call timeouts.
 */
final class AwsClients {
    private AwsClients() {}

    static SdkAsyncHttpClient httpClient(NotifySettings s, int maxConcurrency) {
        return NettyNioAsyncHttpClient.builder()
                .maxConcurrency(Math.max(2, maxConcurrency))
                .connectionTimeout(Duration.ofSeconds(10))
                .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                .build();
    }

    static <B extends AwsClientBuilder<B, C> & AwsAsyncClientBuilder<B, C>, C> C build(
            B builder, NotifySettings s, String endpoint, SdkAsyncHttpClient http) {
        builder.region(Region.of(s.region))
                .credentialsProvider(credentials(s))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(s.sdkMaxAttempts).build())
                        .apiCallAttemptTimeout(s.apiCallAttemptTimeout)
                        .apiCallTimeout(s.apiCallTimeout)
                        .build());
        builder.httpClient(http);
        if (!endpoint.isEmpty()) builder.endpointOverride(URI.create(endpoint));
        return builder.build();
    }

    static AwsCredentialsProvider credentials(NotifySettings s) {
        switch (s.credentialsProvider) {
            case "BASIC":
                return StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKeyId(), s.secretKey()));
            case "PROFILE":
                return s.profile.isEmpty() ? ProfileCredentialsProvider.create() : ProfileCredentialsProvider.create(s.profile);
            case "ENV_VAR":
                return EnvironmentVariableCredentialsProvider.create();
            case "SYS_PROP":
                return SystemPropertyCredentialsProvider.create();
            default:
                return DefaultCredentialsProvider.builder().build();
        }
    }
}
