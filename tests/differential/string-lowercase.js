// toLowerCase maps non-ASCII capitals too, including strings without any
// ASCII capital.
function main() {
  console.log("É".toLowerCase(), "ÀÉÎ".toLowerCase(), "ΣΑΣ".toLowerCase(), "İ".toLowerCase().length);
  console.log("ДОМ".toLowerCase(), "Ünïcödé".toLowerCase(), "straße".toLowerCase(), "ΣΑΣ X".toLowerCase());
}
main();
