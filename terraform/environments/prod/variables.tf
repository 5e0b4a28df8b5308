variable "region" {
  type    = string
  default = "us-west-1"
}

variable "image_tag" {
  description = "The image to run: the tag `make push` printed (make deploy ENV=prod TAG=…)."
  type        = string
}

variable "alarm_emails" {
  description = "Who the alarms page."
  type        = list(string)
  default     = []
}
