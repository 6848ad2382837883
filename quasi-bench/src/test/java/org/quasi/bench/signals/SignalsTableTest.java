package org.quasi.bench.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalsTableTest {

    @Test
    void printsThePaperBesideTheMeasuredRatios() {
        Map<String, Map<String, SignalsTable.Score>> measured = new LinkedHashMap<>();
        Map<String, SignalsTable.Score> sigusr1 = new LinkedHashMap<>();
        sigusr1.put("generic", new SignalsTable.Score(300, 10, 290, 310, "ns/op"));
        sigusr1.put("hand", new SignalsTable.Score(100, 5, 95, 105, "ns/op"));
        measured.put("sigusr1", sigusr1);
        measured.put("appOnJavaThreads", Map.of("generic", new SignalsTable.Score(2000, 300, 1700, 2400, "ms/op")));

        String table = SignalsTable.format(measured);

        assertThat(table).contains("Table 3: SIGUSR1, 62 processes", "44.10", "15.30", "2.87x",
                "generic 300.0 ± 10.0 [290.0..310.0] ns/op", "hand 100.0 ± 5.0 [95.0..105.0] ns/op (3.00x)");
        assertThat(table).contains("Table 4: signal 0, 62 processes", "14.75x", "not measured");
        assertThat(table).contains("appOnJavaThreads (no target)", "generic 2000.0");
    }
}
