package io.augur.ops.anomaly;

import io.augur.schema.ReactiveSeries;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Not a test: analyses dumped reactive rows (-Dprobe.dump=FILE). */
class ReactiveRowProbe {
    @Test
    void probe() throws Exception {
        String f = System.getProperty("probe.dump");
        if (f == null) return;
        long f2Points = 0, f2Held = 0, sumOther = 0, sumVc = 0, minOther = 0, countOther = 0, countSame = 0, idOther = 0, f1Points = 0, f1Held = 0, rows = 0, pointsB = 0, heldB = 0, boundsN = 0, ctxN = 0, full = 0, bare = 0, heldN = 0, rewritten = 0, scoreZero = 0, flat = 0;
        long[] sharedE = new long[9], sharedS = new long[9], sharedSc = new long[9], sharedEv = new long[9];
        String convert = System.getProperty("probe.convert");
        java.io.PrintWriter conv = convert == null ? null : new java.io.PrintWriter(Files.newBufferedWriter(Path.of(convert)));
        for (String line : Files.readAllLines(Path.of(f))) {
            String[] kv = line.split("\t");
            byte[] b = Base64.getDecoder().decode(kv[1]);
            ReactiveSeries r = new SpecificDatumReader<>(ReactiveSeries.class).read(null, DecoderFactory.get().binaryDecoder(b, null));
            rows++;
            pointsB += r.getPoints().remaining();
            heldB += r.getHeld().remaining();
            boundsN += r.getBounds().size();
            ReactiveSeriesCodec.Series s = ReactiveSeriesCodec.read(kv[0], r);
            LifecycleContext c = s.context();
            ctxN += c.n;
            HeldDatapoints h = s.held();
            for (int j = 0; j < h.n; j++) {
                boolean sv = Double.doubleToRawLongBits(h.sum(j)) == Double.doubleToRawLongBits(h.value(j));
                if (!sv) { sumOther++; if (Double.doubleToRawLongBits(h.value(j) * h.count(j)) == Double.doubleToRawLongBits(h.sum(j))) sumVc++; }
                if (Double.doubleToRawLongBits(h.min(j)) != Double.doubleToRawLongBits(h.value(j))) minOther++;
                if (Double.doubleToRawLongBits(h.count(j)) != Double.doubleToRawLongBits(h.value(j))) countOther++;
                if (j > 0 && Double.doubleToRawLongBits(h.count(j)) == Double.doubleToRawLongBits(h.count(j - 1))) countSame++;
                if (h.identity(j) != 0) idOther++;
            }
            heldN += s.held().n;
            long pe = 0, ps = 0, psc = 0;
            boolean first = true;
            for (int i = 0; i < c.n; i++) {
                if (c.bare(i)) { bare++; continue; }
                full++;
                if (Double.doubleToRawLongBits(c.score(i)) == 0) scoreZero++;
                if (c.lower(i) == c.expected(i) && c.upper(i) == c.expected(i)) flat++;
                long e = Double.doubleToRawLongBits(c.expected(i)), sp = Double.doubleToRawLongBits(c.upper(i) - c.expected(i)), sc = Double.doubleToRawLongBits(c.score(i));
                long v = Double.doubleToRawLongBits(c.value(i));
                if (!first) {
                    sharedE[Long.numberOfLeadingZeros(e ^ pe) / 8]++;
                    sharedS[Long.numberOfLeadingZeros(sp ^ ps) / 8]++;
                    sharedSc[Long.numberOfLeadingZeros(sc ^ psc) / 8]++;
                }
                sharedEv[Long.numberOfLeadingZeros(e ^ v) / 8]++;
                pe = e; ps = sp; psc = sc; first = false;
            }
            ReactiveSeries w = ReactiveSeriesCodecFormat1.write(kv[0], c, s.held());
            ReactiveSeries w2 = ReactiveSeriesCodec.write(kv[0], c, s.held());
            f2Points += w2.getPoints().remaining();
            f2Held += w2.getHeld().remaining();
            ReactiveSeriesCodec.Series back = ReactiveSeriesCodec.read(kv[0], w2);
            if (!ReactiveSeriesCodec.write(kv[0], back.context(), back.held()).equals(w2)) throw new AssertionError("not the same again");
            if (conv != null) {
                var out = new java.io.ByteArrayOutputStream();
                var enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
                new org.apache.avro.specific.SpecificDatumWriter<>(ReactiveSeries.class).write(w, enc);
                enc.flush();
                conv.println(kv[0] + "\t" + Base64.getEncoder().encodeToString(out.toByteArray()));
            }
            rewritten += w.getPoints().remaining() + w.getHeld().remaining();
            f1Points += w.getPoints().remaining();
            f1Held += w.getHeld().remaining();
        }
        if (conv != null) conv.close();
        System.out.printf("rows %d: points %.1f B, held %.1f B, bounds %.3f; context %.1f (full %.1f, bare %.1f; score zero %.1f, flat %.1f), held %.1f; format 1 points+held %.1f B%n",
                rows, pointsB / (double) rows, heldB / (double) rows, boundsN / (double) rows, ctxN / (double) rows, full / (double) rows,
                bare / (double) rows, scoreZero / (double) rows, flat / (double) rows, heldN / (double) rows, rewritten / (double) rows);
        System.out.printf("held: sum not the value %d (= value x count %d), min not the value %d, count not the value %d, count as the one before %d, identity not 0: %d%n", sumOther, sumVc, minOther, countOther, countSame, idOther);
        System.out.printf("format 1 of the same rows: points %.1f, held %.1f; format 2: points %.1f, held %.1f%n", f1Points / (double) rows, f1Held / (double) rows,
                f2Points / (double) rows, f2Held / (double) rows);
        System.out.println("shared high bytes expected vs prev expected " + java.util.Arrays.toString(sharedE));
        System.out.println("shared high bytes spread vs prev spread   " + java.util.Arrays.toString(sharedS));
        System.out.println("shared high bytes score vs prev score     " + java.util.Arrays.toString(sharedSc));
        System.out.println("shared high bytes expected vs own value   " + java.util.Arrays.toString(sharedEv));
    }
}
