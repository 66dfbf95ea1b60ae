package io.augur.ops.detect;

import io.augur.schema.SeriesBaseline;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The detector's working forms of the baseline's arrays ({@link DoubleList}, {@link FloatList}) are lists like any other to Avro. */
class WorkingListsTest {
    @Test
    void aBaselineHoldingWorkingFormsSerializesCopiesAndComparesAsWithPlainLists() throws Exception {
        SeriesBaseline s = StoredBaselineTest.trained();
        assertThat(s.getEvidence()).isInstanceOf(DoubleList.class);
        assertThat(s.getTailSquare()).isInstanceOf(DoubleList.class);
        assertThat(s.getDaily()).isInstanceOf(FloatList.class);
        SeriesBaseline copy = SpecificData.get().deepCopy(SeriesBaseline.getClassSchema(), s); // Avro's own lists
        assertThat(copy.getEvidence()).isNotInstanceOf(DoubleList.class);
        assertThat(copy).isEqualTo(s);
        assertThat(s).isEqualTo(copy);
        byte[] bytes = StoredBaselineTest.avro(s);
        assertThat(bytes).isEqualTo(StoredBaselineTest.avro(copy));
        SeriesBaseline read = new SpecificDatumReader<>(SeriesBaseline.class).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(read).isEqualTo(s);
        assertThat(read.toString()).isEqualTo(s.toString());
    }

    @Test
    void listOperations() {
        List<Double> plain = new ArrayList<>(List.of(1.0, -0.0, Double.NaN));
        DoubleList d = DoubleList.of(plain);
        assertThat(DoubleList.of(d)).isSameAs(d);
        assertThat(d).isEqualTo(plain).hasSameHashCodeAs(plain);
        d.setDouble(0, 2.5);
        assertThat(d.set(0, 3.0)).isEqualTo(2.5);
        assertThat(d.getDouble(0)).isEqualTo(3.0);
        d.add(4.0);
        d.add(5.0);
        assertThat(d.remove(1)).isEqualTo(-0.0);
        assertThat(d).containsExactly(3.0, Double.NaN, 4.0, 5.0);
        assertThatThrownBy(() -> d.getDouble(4)).isInstanceOf(IndexOutOfBoundsException.class);
        FloatList f = FloatList.of(new ArrayList<>(List.of(Float.NaN, 1f)));
        f.setFloat(0, 0.5f);
        assertThat(f.remove(1)).isEqualTo(1f);
        assertThat(f).containsExactly(0.5f);
        assertThatThrownBy(() -> f.setFloat(1, 0f)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
