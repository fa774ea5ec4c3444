// Behaviour the pages share, kept out of the markup: the Content-Security-Policy allows
// no inline script or handler. A <select data-submit-on-change> sends its form.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches("select[data-submit-on-change]") && field.form) {
    field.form.requestSubmit();
  }
});
