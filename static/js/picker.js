// A picker's option (xunshi/lib/pickers.py) writes its code into the picker's code field and
// shows the name chosen; the form still posts the code.
document.addEventListener("click", function (event) {
  const option = event.target.closest(".picker-option");
  if (!option) return;
  const picker = option.closest(".picker");
  const field = picker.querySelector("input:not(.picker-q)");
  field.value = option.dataset.code;
  field.dispatchEvent(new Event("change", { bubbles: true }));
  picker.querySelector(".picker-chosen").textContent = option.dataset.label;
  picker.querySelector(".picker-q").value = "";
  picker.querySelector(".picker-options").replaceChildren();
});
