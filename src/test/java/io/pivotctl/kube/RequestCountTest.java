package io.pivotctl.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RequestCountTest {

    @Test
    void lineCountsEveryMethodAndDryRunsInTheContractFormat() {
        RequestCount c = new RequestCount();
        c.record("GET", false);
        c.record("GET", false);
        c.record("POST", true);
        c.record("POST", false);
        c.record("put", false);
        c.record("PATCH", false);
        c.record("DELETE", false);
        c.record("HEAD", false); // in the total only
        assertEquals("api requests: 8 (GET 2, POST 2, PUT 1, PATCH 1, DELETE 1; dry-run 1)", c.line());
        Matcher m = Pattern.compile("api requests: (\\d+)").matcher(c.line()); // the bench's regex (contract 1)
        assertTrue(m.find());
        assertEquals("8", m.group(1));
    }

    @Test
    void emptyCountStillHasEveryField() {
        assertEquals("api requests: 0 (GET 0, POST 0, PUT 0, PATCH 0, DELETE 0; dry-run 0)", new RequestCount().line());
    }

    @Test
    void dryRunIsReadFromTheQuery() {
        assertTrue(RequestCount.isDryRun(URI.create("https://h/apis/metal3.io/v1alpha1/namespaces/a/baremetalhosts?dryRun=All")));
        assertTrue(RequestCount.isDryRun(URI.create("https://h/api/v1/namespaces/a/secrets?fieldManager=x&dryRun=All")));
        assertFalse(RequestCount.isDryRun(URI.create("https://h/api/v1/namespaces/a/secrets?fieldManager=dryRun")));
        assertFalse(RequestCount.isDryRun(URI.create("https://h/api/v1/namespaces/dryRun=All/secrets")));
    }
}
