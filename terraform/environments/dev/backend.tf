terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State of the dev account, as the original deployment kept it (S3, DynamoDB lock).
  backend "s3" {
    bucket         = "aft-tf-state-us-west-1-dev"
    key            = "hds/terraform.tfstate"
    region         = "us-west-1"
    dynamodb_table = "terraform-lock"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Application = "hds"
      Environment = "dev"
      ManagedBy   = "terraform/environments/dev"
    }
  }
}
