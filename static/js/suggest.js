// A 定性 statement offered under a working paper's 定性依据 box (xunshi/fieldwork/paper_forms.py
// SuggestingTextarea, the list from xunshi/knowledge) fills the box on a click.
document.addEventListener("click", function (event) {
  const option = event.target.closest(".suggestion");
  if (!option) return;
  const list = option.closest(".suggestions");
  const box = list.previousElementSibling;
  box.value = option.dataset.text;
  box.focus();
  list.replaceChildren();
});
