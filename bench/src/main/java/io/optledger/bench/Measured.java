package io.optledger.bench;

import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One scenario over its windows: the rate is the median window's, the spread the windows' range, and latency
 * percentiles come from every window's samples merged.
 */
record Measured(String name, List<Load.Result> windows, String firstError) {

    /** The median window's units per second. */
    double median() {
        double[] rates = rates();
        int n = rates.length;
        return n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
    }

    double min() {
        return rates()[0];
    }

    double max() {
        double[] rates = rates();
        return rates[rates.length - 1];
    }

    /** Half the windows' range as a fraction of the median: 0.05 is ±5%. */
    double spread() {
        double median = median();
        return median == 0 ? 0 : (max() - min()) / 2 / median;
    }

    double[] rates() {
        return windows.stream()
                .mapToDouble(Load.Result::unitsPerSecond)
                .sorted()
                .toArray();
    }

    /** The windows' rates in the order they ran. */
    double[] ratesInOrder() {
        return windows.stream().mapToDouble(Load.Result::unitsPerSecond).toArray();
    }

    Histogram merged() {
        Histogram merged = new Histogram(3);
        windows.forEach(w -> merged.add(w.latencyNanos()));
        return merged;
    }

    double percentileMillis(double percentile) {
        return merged().getValueAtPercentile(percentile) / 1e6;
    }

    long requests() {
        return windows.stream().mapToLong(Load.Result::requests).sum();
    }

    long errors() {
        return windows.stream().mapToLong(Load.Result::errors).sum();
    }

    double serviceCpuSeconds() {
        return windows.stream().mapToDouble(Load.Result::serviceCpuSeconds).sum();
    }

    /** The service's CPU seconds per 1,000 units over all windows together. */
    double cpuPerThousandUnits() {
        long units = windows.stream().mapToLong(Load.Result::units).sum();
        return units == 0 ? 0 : serviceCpuSeconds() / units * 1000;
    }

    /** More than half the requests failed: the rate measures the failure, not the scenario. */
    boolean mostlyFailed() {
        return errors() > 0 && errors() * 2 > requests();
    }

    /** The ratio of medians; NaN when the other did nothing (it failed: see its errors), never a false "met". */
    double ratioTo(Measured other) {
        return other == null || other.median() == 0 || mostlyFailed() || other.mostlyFailed()
                ? Double.NaN
                : median() / other.median();
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(ratesInOrder());
    }
}
