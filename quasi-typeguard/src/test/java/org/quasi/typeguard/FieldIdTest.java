package org.quasi.typeguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FieldIdTest {

  @Test
  void parsesBinaryAndInternalNames() {
    assertThat(FieldId.parse("com.x.Outer$Inner.f")).isEqualTo(new FieldId("com.x.Outer$Inner", "f"));
    assertThat(FieldId.parse("com/x/Task.uid").ownerInternalName()).isEqualTo("com/x/Task");
  }

  @Test
  void rejectsTextWithoutOwner() {
    assertThatThrownBy(() -> FieldId.parse("uid"))
        .hasMessage("Expected Owner.field such as com.x.Task.uid, got 'uid'");
    assertThatThrownBy(() -> FieldId.parse("com.x.")).hasMessageContaining("got 'com.x.'");
  }

  @Test
  void findingKindsParseByEveryName() {
    assertThat(FindingKind.parse("TG104")).isEqualTo(FindingKind.WRITE_ELSEWHERE);
    assertThat(FindingKind.parse("write-elsewhere")).isEqualTo(FindingKind.WRITE_ELSEWHERE);
    assertThat(FindingKind.parse("WRITE_ELSEWHERE")).isEqualTo(FindingKind.WRITE_ELSEWHERE);
    assertThatThrownBy(() -> FindingKind.parse("nope")).hasMessageStartingWith(
        "Unknown finding kind 'nope'; expected one of: write-constructor-this, ");
  }
}
