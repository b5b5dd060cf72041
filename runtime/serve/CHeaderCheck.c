/*===- CHeaderCheck.c - npu_serve.h compiles as strict C11 ---------------===*/
#include "npu_serve.h"

/* A use of every type, so that the check is not vacuous. */
int npu_serve_header_check(npu_serve_server *server) {
  npu_serve_request request = {0};
  npu_serve_response *response = 0;
  request.id = "r0";
  request.model = "m";
  request.deadline_ps = 1;
  if (npu_serve_infer(server, &request, &response) != NPU_SERVE_OK)
    return -1;
  int outcome = (int)npu_serve_response_outcome(response);
  npu_serve_response_free(response);
  return outcome;
}
